package dev.vigil.agent.icmp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An echo reply that answered one of our requests.
 *
 * @param from           the address that answered
 * @param sequence       the request's sequence number, 0..65535
 * @param roundTripNanos from just before the request was handed to the kernel to just after the
 *                       reply was read from it, ≥ 0
 * @param hopLimit       the reply's IPv4 TTL or IPv6 hop limit on arrival, or -1 when unknown
 */
public record EchoReply(InetAddress from, int sequence, long roundTripNanos, int hopLimit) {

    /** Validates the figures. */
    public EchoReply {
        Objects.requireNonNull(from, "from");
        if (roundTripNanos < 0) {
            throw new IllegalArgumentException("roundTripNanos must be >= 0 (was " + roundTripNanos + ")");
        }
    }
}
