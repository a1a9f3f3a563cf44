package dev.vigil.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorMainTest {
    @TempDir
    Path dir;

    @Test
    void letsListenOverrideTheConfiguredAddress() throws IOException {
        Path file = file("listen: 127.0.0.1:9999\n");

        CollectorConfig config = CollectorMain.configure(new String[] {"--config", file.toString(), "--listen",
            "127.0.0.2:19470"});

        assertThat(config.listen().getHostString()).isEqualTo("127.0.0.2");
        assertThat(config.listen().getPort()).isEqualTo(19470);
        assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data/collector"));
    }

    @Test
    void explainsUsageErrors() throws IOException {
        Path file = file("");

        assertThatThrownBy(() -> CollectorMain.configure(new String[] {}))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config is required; usage: java -jar vigil-collector.jar --config <file> [--listen host:port]");
        assertThatThrownBy(() -> CollectorMain.configure(new String[] {"--config"}))
                .hasMessageStartingWith("--config needs a value; usage:");
        assertThatThrownBy(() -> CollectorMain.configure(new String[] {"--config", file.toString(), "--verbose"}))
                .hasMessageStartingWith("unknown argument '--verbose'; usage:");
        assertThatThrownBy(() -> CollectorMain.configure(new String[] {"--config", file.toString(), "--listen", "9470"}))
                .hasMessage("--listen must be host:port (was '9470')");
        assertThatThrownBy(() -> CollectorMain.configure(new String[] {"--config", file.toString(), "--listen",
            "127.0.0.1:70000"}))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--listen port must be 0..65535 (was 70000)");
        assertThatThrownBy(() -> CollectorMain.configure(new String[] {"--config", dir.resolve("missing.yaml").toString()}))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read configuration file");
    }

    @Test
    void leavesAChronicleSwitchTheOperatorSetAloneAndSetsAMissingOne() {
        String set = "vigil.test." + UUID.randomUUID() + ".disable";
        String unset = "vigil.test." + UUID.randomUUID() + ".disable";
        System.setProperty(set, "false");
        try {
            CollectorMain.disableByDefault(set);
            CollectorMain.disableByDefault(unset);

            assertThat(System.getProperty(set)).isEqualTo("false");
            assertThat(System.getProperty(unset)).isEqualTo("true");
        } finally {
            System.clearProperty(set);
            System.clearProperty(unset);
        }
    }

    @Test
    void acceptsABracketedIpv6ListenAddress() throws IOException {
        CollectorConfig config = CollectorMain.configure(new String[] {"--config", file("").toString(), "--listen",
            "[::1]:0"});

        assertThat(config.listen().getHostString()).isEqualTo("::1");
        assertThat(config.listen().getPort()).isZero();
    }

    private Path file(String extra) throws IOException {
        return Files.writeString(dir.resolve("collector.yaml"), extra + """
                agents:
                  - name: edge-1
                    token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                """);
    }
}
