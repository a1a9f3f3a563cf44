package dev.vigil.config.check;

/** An IP address family, as a check's preference for which addresses of a name to use. */
public enum IpFamily {
    /** IPv4 ({@code ip4} in configuration). */
    IPV4,
    /** IPv6 ({@code ip6} in configuration). */
    IPV6
}
