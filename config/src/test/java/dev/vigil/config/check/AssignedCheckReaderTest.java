package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks a collector assigns name files on the agent's host: absolute names, checked where the files are. */
class AssignedCheckReaderTest {

    private static CheckConfig read(CheckReader reader, String caFile) {
        ConfigNode root = ConfigNode.parseVerbatim("assignments.json", """
                {"checks": [{"id": "cert", "type": "tls", "target": "example.test", "tls": {"ca_file": "%s"}}]}
                """.formatted(caFile));
        return reader.checks(root.list("checks"), Set.of()).get(0);
    }

    @Test
    void refusesARelativeFileNameBecauseNoFolderIsKnown() {
        assertThatThrownBy(() -> read(CheckReader.assignedAtCollector(), "ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("checks[0].tls.ca_file must be an absolute path in an assigned check (was 'ca.pem') "
                        + "at assignments.json:1");
        assertThatThrownBy(() -> read(CheckReader.assignedOnAgent(), "ca.pem"))
                .hasMessageContaining("must be an absolute path in an assigned check");
    }

    @Test
    void theCollectorAcceptsAFileItCannotSeeButTheAgentChecksIt() {
        CheckConfig check = read(CheckReader.assignedAtCollector(), "/nonexistent/vigil/ca.pem");
        assertThat(((TlsProbeSpec) check.probe()).tls().caFile()).contains(Path.of("/nonexistent/vigil/ca.pem"));

        assertThatThrownBy(() -> read(CheckReader.assignedOnAgent(), "/nonexistent/vigil/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("checks[0].tls.ca_file must be a readable file (/nonexistent/vigil/ca.pem is not) "
                        + "at assignments.json:1");
    }

    @Test
    void theAgentReadsAnAbsoluteFileOfItsHost() throws URISyntaxException {
        Path ca = Path.of(AssignedCheckReaderTest.class.getResource("/check/tls-files/ca.pem").toURI());

        CheckConfig check = read(CheckReader.assignedOnAgent(), ca.toString());

        assertThat(((TlsProbeSpec) check.probe()).tls().caFile()).isEqualTo(Optional.of(ca));
    }
}
