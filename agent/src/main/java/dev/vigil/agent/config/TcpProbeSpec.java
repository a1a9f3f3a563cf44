package dev.vigil.agent.config;

import java.util.Objects;

/**
 * The settings of a TCP check: connect, then close.
 *
 * @param host a DNS name or an IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record TcpProbeSpec(String host, int port) implements ProbeSpec {

    /** Validates the host and port. */
    public TcpProbeSpec {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535 (was " + port + ")");
        }
    }

    @Override
    public ProbeType type() {
        return ProbeType.TCP;
    }

    /** The target as {@code host:port}, IPv6 literals in brackets. */
    public String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
