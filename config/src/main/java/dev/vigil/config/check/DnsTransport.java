package dev.vigil.config.check;

/** How a DNS check sends its query. */
public enum DnsTransport {
    /** One UDP datagram each way, the default. */
    UDP,
    /** A TCP connection, length-prefixed messages (RFC 1035 §4.2.2). */
    TCP
}
