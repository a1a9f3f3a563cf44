package dev.vigil.agent.icmp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How one echo request is sent.
 *
 * @param source       the local address to send from, of the destination's family; empty lets the
 *                     routing table choose
 * @param ttl          IPv4 TTL / IPv6 hop limit, 1..255, or 0 for the system default
 * @param dontFragment whether IPv4 packets carry the DF bit always ({@code IP_PMTUDISC_DO}); when
 *                     false, Linux's default applies ({@code IP_PMTUDISC_WANT}); ignored for IPv6
 * @param payloadBytes echo data after the 8-byte ICMP header, 0..65,000 bytes
 */
public record EchoOptions(Optional<InetAddress> source, int ttl, boolean dontFragment, int payloadBytes) {

    /** Validates the bounds. */
    public EchoOptions {
        Objects.requireNonNull(source, "source");
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 0..255 (was " + ttl + ")");
        }
        if (payloadBytes < 0 || payloadBytes > 65_000) {
            throw new IllegalArgumentException("payloadBytes must be 0..65000 (was " + payloadBytes + ")");
        }
    }
}
