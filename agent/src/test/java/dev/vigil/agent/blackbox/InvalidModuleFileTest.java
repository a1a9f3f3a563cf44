package dev.vigil.agent.blackbox;

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
 * One fixture per rule by which a module file is refused, as blackbox_exporter refuses it:
 * {@code blackbox/invalid-*.yml}, whose first line is {@code # error: <the exact message>}.
 */
class InvalidModuleFileTest {

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        URL directory = InvalidModuleFileTest.class.getResource("/blackbox");
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
    void refusesTheFixtureWithItsExactMessage(String fixture) throws IOException {
        String yaml = BlackboxConfigTest.resource(fixture);
        String firstLine = yaml.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("# error: ");
        String expected = firstLine.substring("# error: ".length());

        assertThatThrownBy(() -> BlackboxConfig.parse("blackbox.yml", yaml, Path.of("/etc/prometheus")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureIsNamedForOneRule(String fixture) {
        assertThat(fixture).matches("invalid-[a-z0-9-]+\\.yml");
    }
}
