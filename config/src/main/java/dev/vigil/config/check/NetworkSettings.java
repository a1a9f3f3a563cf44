package dev.vigil.config.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a network probe finds and reaches its target: which address family of a name it uses, from
 * which local address it connects, and which name servers it asks.
 *
 * @param preferredFamily the family whose addresses are used when the name has both
 * @param fallback        whether the other family is used when the name has no address of the
 *                        preferred one; without it such a name fails as {@code DNS_FAILED}
 * @param sourceAddress   the local address to send from, when the host has several
 * @param nameServers     the name servers this check asks, in order; empty means the agent's
 *                        ({@code /etc/resolv.conf})
 */
public record NetworkSettings(
        IpFamily preferredFamily,
        boolean fallback,
        Optional<InetAddress> sourceAddress,
        List<InetSocketAddress> nameServers) {

    /** IPv4 preferred with fallback to IPv6, any source address, the agent's name servers. */
    public static final NetworkSettings DEFAULT = new NetworkSettings(IpFamily.IPV4, true, Optional.empty(), List.of());

    /** Checks for nulls and copies the list. */
    public NetworkSettings {
        Objects.requireNonNull(preferredFamily, "preferredFamily");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        nameServers = List.copyOf(nameServers);
    }
}
