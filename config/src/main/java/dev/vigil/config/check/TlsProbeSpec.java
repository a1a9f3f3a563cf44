package dev.vigil.config.check;

import java.util.Objects;

/**
 * The settings of a TLS check: connect, complete a handshake, report the chain, close. With
 * {@code tls.minValidity} it fails as {@code CERT_EXPIRING} when a certificate expires too soon.
 *
 * @param host    a DNS name or an IP literal (IPv6 without brackets)
 * @param port    1..65535
 * @param tls     the TLS settings, including the validity margin
 * @param network address family, source address and name servers
 */
public record TlsProbeSpec(String host, int port, TlsSettings tls, NetworkSettings network) implements ProbeSpec {

    /** Validates the host and port. */
    public TlsProbeSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(network, "network");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535 (was " + port + ")");
        }
    }

    /** A handshake with {@code host:port} using the default TLS and network settings. */
    public static TlsProbeSpec handshake(String host, int port) {
        return new TlsProbeSpec(host, port, TlsSettings.DEFAULT, NetworkSettings.DEFAULT);
    }

    /** These settings with {@code settings} for TLS. */
    public TlsProbeSpec withTls(TlsSettings settings) {
        return new TlsProbeSpec(host, port, settings, network);
    }

    @Override
    public ProbeType type() {
        return ProbeType.TLS;
    }

    /** The target as {@code host:port}, IPv6 literals in brackets. */
    public String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
