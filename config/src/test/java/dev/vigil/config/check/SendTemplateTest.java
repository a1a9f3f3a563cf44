package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send text of a dialogue step expands as Go's {@code regexp.Expand} does, which blackbox_exporter uses. */
class SendTemplateTest {
    private static final Matcher MATCH = match("(?<user>\\w+)@(\\w+)(x)?", "mail to ops@example now");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "PONG $1|PONG ops",
        "PONG ${1}|PONG ops",
        "HELO ${2}.test|HELO example.test",
        "USER $user|USER ops",
        "USER ${user}!|USER ops!",
        "a $1x b|a  b",
        "a ${1}x b|a opsx b",
        "cost $$5|cost $5",
        "just $ and $-|just $ and $-",
        "trailing $|trailing $",
        "unmatched [$3]|unmatched []",
        "no such group [$9]|no such group []",
        "whole $0|whole ops@example"})
    void expandsReferencesAsGoDoes(String template, String expected) {
        assertThat(SendTemplate.parse(template).expand(MATCH)).isEqualTo(expected);
    }

    @Test
    void listsTheReferencesAsWritten() {
        assertThat(SendTemplate.parse("$1 ${user} $$ $").references()).containsExactly(
                new SendTemplate.Reference("1", "$1"), new SendTemplate.Reference("user", "${user}"));
    }

    @Test
    void sendsTextWithoutReferencesAsItIs() {
        assertThat(SendTemplate.parse("EHLO prober").expand(null)).isEqualTo("EHLO prober");
    }

    @Test
    void rejectsABraceThatDoesNotClose() {
        assertThatThrownBy(() -> SendTemplate.parse("PONG ${1"))
                .hasMessage("has '${' at index 5 without a closing '}' (write $$ for a literal $)");
    }

    @Test
    void rejectsABraceWithNoName() {
        assertThatThrownBy(() -> SendTemplate.parse("PONG ${a-b}"))
                .hasMessage("has '${a-b}' at index 5, which names no group; names are letters, digits and _"
                        + " (write $$ for a literal $)");
    }

    private static Matcher match(String regex, String line) {
        Matcher matcher = Pattern.compile(regex).matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException("no match");
        }
        return matcher;
    }
}
