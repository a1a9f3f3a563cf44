package dev.vigil.agent.icmp;

/** The kind of socket ICMP echo requests go through. */
public enum SocketMode {
    /**
     * An unprivileged ping socket ({@code SOCK_DGRAM}, {@code IPPROTO_ICMP}): allowed when the
     * process's group is in {@code net.ipv4.ping_group_range}; the kernel picks the echo identifier
     * and delivers only this socket's replies.
     */
    DATAGRAM,
    /**
     * A raw ICMP socket ({@code SOCK_RAW}): needs {@code CAP_NET_RAW}; it sees every ICMP message
     * the host receives, so replies are matched by the socket's own identifier.
     */
    RAW
}
