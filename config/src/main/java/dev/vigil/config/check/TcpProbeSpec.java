package dev.vigil.config.check;

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
        long startTlsSteps = dialogue.stream().filter(TcpStep::startTls).count();
        if (tlsOnConnect && startTlsSteps > 0) {
            throw new IllegalArgumentException("starttls cannot follow tls_on_connect: true; the connection is already TLS");
        }
        if (startTlsSteps > 1) {
            throw new IllegalArgumentException("at most one dialogue step may start TLS (" + startTlsSteps + " do)");
        }
    }

    /** A plain connect-and-close check of {@code host:port} with default network settings. */
    public static TcpProbeSpec connect(String host, int port) {
        return new TcpProbeSpec(host, port, List.of(), false, TlsSettings.DEFAULT, NetworkSettings.DEFAULT);
    }

    /** These settings with {@code steps} as the dialogue. */
    public TcpProbeSpec withDialogue(List<TcpStep> steps) {
        return new TcpProbeSpec(host, port, steps, tlsOnConnect, tls, network);
    }

    /** These settings starting TLS right after the connect, speaking it as {@code settings} say. */
    public TcpProbeSpec withTlsOnConnect(TlsSettings settings) {
        return new TcpProbeSpec(host, port, dialogue, true, settings, network);
    }

    /** These settings with {@code settings} for TLS (on connect or by STARTTLS). */
    public TcpProbeSpec withTls(TlsSettings settings) {
        return new TcpProbeSpec(host, port, dialogue, tlsOnConnect, settings, network);
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
