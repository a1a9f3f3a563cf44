package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per validation rule of a check: {@code check/invalid-*.yaml}, whose first line is
 * {@code # error: <the exact message>}.
 */
class InvalidCheckTest {

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        URL directory = InvalidCheckTest.class.getResource("/check");
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("invalid-"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rejectsTheFixtureWithItsExactMessage(String fixture) throws IOException {
        String yaml = CheckFile.fixture(fixture);
        String firstLine = yaml.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("# error: ");
        String expected = firstLine.substring("# error: ".length());

        assertThatThrownBy(() -> CheckFile.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureIsNamedForOneRule(String fixture) {
        assertThat(fixture).matches("invalid-[a-z0-9-]+\\.yaml");
    }
}
