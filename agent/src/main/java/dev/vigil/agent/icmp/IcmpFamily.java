package dev.vigil.agent.icmp;

import java.net.Inet6Address;
import java.net.InetAddress;

/** ICMP for IPv4 or ICMPv6 for IPv6: the socket arguments and message types that differ between them. */
enum IcmpFamily {
    V4("ICMPv4", LibC.AF_INET, LibC.IPPROTO_ICMP, 8, 0),
    V6("ICMPv6", LibC.AF_INET6, LibC.IPPROTO_ICMPV6, 128, 129);

    final String label;
    final int domain;
    final int protocol;
    final int echoRequest;
    final int echoReply;

    IcmpFamily(String label, int domain, int protocol, int echoRequest, int echoReply) {
        this.label = label;
        this.domain = domain;
        this.protocol = protocol;
        this.echoRequest = echoRequest;
        this.echoReply = echoReply;
    }

    static IcmpFamily of(InetAddress address) {
        return address instanceof Inet6Address ? V6 : V4;
    }
}
