package dev.vigil.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * The settings of a TCP check: connect, optionally speak TLS and a line-based dialogue, close.
 *
 * @param host         a DNS name or an IP literal (IPv6 without brackets)
 * @param port         1..65535
 * @param dialogue     steps done in order after connecting; empty means connect only
 * @param tlsOnConnect whether TLS starts right after the TCP connect (before the dialogue)
 * @param tls          TLS settings for {@code tlsOnConnect} and STARTTLS steps
 * @param network      address family, source address and name servers
 */
public record TcpProbeSpec(
        String host, int port, List<TcpStep> dialogue, boolean tlsOnConnect, TlsSettings tls,
        NetworkSettings network) implements ProbeSpec {

    /** Validates the host and port, copies the dialogue. */
    public TcpProbeSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(network, "network");
        dialogue = List.copyOf(dialogue);
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535 (was " + port + ")");
        }
        if (tlsOnConnect && dialogue.stream().anyMatch(TcpStep::startTls)) {
            throw new IllegalArgumentException("starttls cannot follow tls: true; the connection is already TLS");
        }
    }

    /** A plain connect-and-close check of {@code host:port} with default network settings. */
    public static TcpProbeSpec connect(String host, int port) {
        return new TcpProbeSpec(host, port, List.of(), false, TlsSettings.DEFAULT, NetworkSettings.DEFAULT);
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
