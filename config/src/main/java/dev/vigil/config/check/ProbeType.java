package dev.vigil.config.check;

/**
 * The kinds of probe a check can run, as written in {@code type:}. A switch over this enum is
 * exhaustive, so adding a kind makes the compiler list every place that must handle it.
 */
public enum ProbeType {
    /** An HTTP(S) request; settings in {@link HttpProbeSpec}. */
    HTTP,
    /** A TCP connect, optionally with TLS and a dialogue; settings in {@link TcpProbeSpec}. */
    TCP,
    /** A TLS handshake and the certificate chain; settings in {@link TlsProbeSpec}. */
    TLS,
    /** One DNS query to one server; settings in {@link DnsProbeSpec}. */
    DNS,
    /** ICMP echo requests; settings in {@link IcmpProbeSpec}. */
    ICMP,
    /** The agent's own host's resources; settings in {@link HostProbeSpec}. */
    HOST
}
