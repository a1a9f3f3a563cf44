package dev.vigil.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an ICMP echo (ping) check: {@code count} echo requests, {@code spacing} apart.
 * No reply at all is {@code TIMEOUT}; more lost than {@code maxLossRatio} allows is {@code PACKET_LOSS}.
 *
 * @param host          a DNS name or an IP literal (IPv6 without brackets)
 * @param count         echo requests per run, 1..100
 * @param spacing       time between two requests of one run, ≥ 10 ms
 * @param payloadBytes  echo payload size, 0..65000 bytes
 * @param ttl           IPv4 TTL / IPv6 hop limit, 1..255, or 0 for the system default
 * @param dontFragment  whether IPv4 packets carry the DF bit
 * @param maxLossRatio  the share of requests that may go unanswered, 0..1
 * @param network       address family, source address and name servers
 */
public record IcmpProbeSpec(
        String host,
        int count,
        Duration spacing,
        int payloadBytes,
        int ttl,
        boolean dontFragment,
        double maxLossRatio,
        NetworkSettings network) implements ProbeSpec {

    /** Validates every bound. */
    public IcmpProbeSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(spacing, "spacing");
        Objects.requireNonNull(network, "network");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("count must be 1..100 (was " + count + ")");
        }
        if (spacing.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("spacing must be >= 10ms (was " + spacing + ")");
        }
        if (payloadBytes < 0 || payloadBytes > 65000) {
            throw new IllegalArgumentException("payload_size must be 0..65000 (was " + payloadBytes + ")");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 1..255, or 0 for the default (was " + ttl + ")");
        }
        if (!(maxLossRatio >= 0 && maxLossRatio <= 1)) {
            throw new IllegalArgumentException("max_loss must be 0..1 (was " + maxLossRatio + ")");
        }
    }

    @Override
    public ProbeType type() {
        return ProbeType.ICMP;
    }
}
