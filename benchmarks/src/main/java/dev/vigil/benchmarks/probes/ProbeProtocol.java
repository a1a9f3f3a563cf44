package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What is probed: a TCP connect, an HTTP GET, or an HTTPS GET with a full handshake. */
enum ProbeProtocol {
    TCP("tcp_connect"),
    HTTP("http_2xx"),
    HTTPS("https_2xx");

    private final String module;

    ProbeProtocol(String module) {
        this.module = module;
    }

    /** The module of the blackbox configuration that probes this way. */
    String module() {
        return module;
    }

    /** The {@code target} parameter of a {@code /probe} request against {@code targets}. */
    String probeTarget(NginxTargets targets) {
        return switch (this) {
            case TCP -> targets.tcpTarget();
            case HTTP -> targets.httpUrl();
            case HTTPS -> targets.httpsUrl();
        };
    }

    /** The type-specific lines of a Vigil check against {@code targets}, indented for a {@code checks:} item. */
    String vigilCheckFields(NginxTargets targets) {
        return switch (this) {
            case TCP -> "    type: tcp\n    target: " + targets.tcpTarget() + "\n";
            case HTTP -> "    type: http\n    url: " + targets.httpUrl() + "\n";
            case HTTPS -> "    type: http\n    url: " + targets.httpsUrl() + "\n    tls:\n      ca_file: "
                    + targets.caFile() + "\n";
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Writes the blackbox_exporter configuration both {@code /probe} endpoints read (blackbox_exporter's
     * and Vigil's {@code --blackbox-config}): one module per protocol, 5 s timeout, HTTPS trusting
     * {@code caFile}. blackbox_exporter's HTTP prober disables keep-alive and keeps no TLS session cache,
     * so each of its probes opens a new connection with a full handshake, like Vigil's.
     */
    static Path writeModules(Path file, Path caFile) {
        String yaml = """
                modules:
                  tcp_connect:
                    prober: tcp
                    timeout: 5s
                  http_2xx:
                    prober: http
                    timeout: 5s
                  https_2xx:
                    prober: http
                    timeout: 5s
                    http:
                      tls_config:
                        ca_file: %s
                """.formatted(caFile);
        try {
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
