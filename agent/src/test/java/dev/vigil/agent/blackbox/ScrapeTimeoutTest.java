package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ScrapeTimeoutTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Duration.ZERO, null, Duration.ofMillis(119_500)),
                Arguments.of(Duration.ofSeconds(5), null, Duration.ofSeconds(5)),
                Arguments.of(Duration.ZERO, "10", Duration.ofMillis(9_500)),
                Arguments.of(Duration.ofSeconds(5), "10", Duration.ofSeconds(5)),
                Arguments.of(Duration.ofSeconds(15), "10", Duration.ofMillis(9_500)),
                Arguments.of(Duration.ofSeconds(5), "0", Duration.ofSeconds(5)),
                Arguments.of(Duration.ofSeconds(5), "0.25", Duration.ofSeconds(5)),
                Arguments.of(Duration.ZERO, "0.25", ScrapeTimeout.MIN),
                Arguments.of(Duration.ZERO, "2.5", Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "module {0}, header {1}: {2}")
    @MethodSource("cases")
    void takesTheModuleTimeoutOrTheScrapeTimeoutLessTheOffsetAsBlackboxExporterDoes(Duration module, String header,
            Duration expected) {
        assertThat(ScrapeTimeout.of(module, Optional.ofNullable(header), ScrapeTimeout.DEFAULT_OFFSET_SECONDS))
                .isEqualTo(expected);
    }

    @Test
    void refusesAHeaderThatIsNoFiniteNumberInGosWords() {
        assertThatThrownBy(() -> ScrapeTimeout.of(Duration.ZERO, Optional.of("Infinity"), 0.5))
                .hasMessage("strconv.ParseFloat: parsing \"Infinity\": invalid syntax");
        assertThatThrownBy(() -> ScrapeTimeout.of(Duration.ZERO, Optional.of("10s"), 0.5))
                .hasMessage("strconv.ParseFloat: parsing \"10s\": invalid syntax");
    }
}
