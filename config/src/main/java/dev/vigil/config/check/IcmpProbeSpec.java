package dev.vigil.config.check;

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

    /** Echo requests per run when a check names no {@code count}. */
    public static final int DEFAULT_COUNT = 3;
    /** Time between two requests when a check names no {@code spacing}. */
    public static final Duration DEFAULT_SPACING = Duration.ofMillis(100);
    /** Echo data per request when a check names no {@code payload_size}, as {@code ping} sends. */
    public static final int DEFAULT_PAYLOAD_BYTES = 56;
    /** The share of requests that may go unanswered when a check names no {@code max_loss}: one of three. */
    public static final double DEFAULT_MAX_LOSS = 0.34;

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

    /**
     * Echo requests to {@code host} with every other setting at its default: 3 requests 100 ms apart,
     * 56 bytes of data, the system's TTL, no DF bit, one of three may be lost, default network settings.
     */
    public static IcmpProbeSpec echo(String host) {
        return new IcmpProbeSpec(host, DEFAULT_COUNT, DEFAULT_SPACING, DEFAULT_PAYLOAD_BYTES, 0, false,
                DEFAULT_MAX_LOSS, NetworkSettings.DEFAULT);
    }

    /** This spec sending {@code requests} echo requests per run. */
    public IcmpProbeSpec withCount(int requests) {
        return new IcmpProbeSpec(host, requests, spacing, payloadBytes, ttl, dontFragment, maxLossRatio, network);
    }

    /** This spec with {@code gap} between two requests. */
    public IcmpProbeSpec withSpacing(Duration gap) {
        return new IcmpProbeSpec(host, count, gap, payloadBytes, ttl, dontFragment, maxLossRatio, network);
    }

    /** This spec sending {@code bytes} of echo data. */
    public IcmpProbeSpec withPayloadBytes(int bytes) {
        return new IcmpProbeSpec(host, count, spacing, bytes, ttl, dontFragment, maxLossRatio, network);
    }

    /** This spec with TTL / hop limit {@code hops} (0 = system default). */
    public IcmpProbeSpec withTtl(int hops) {
        return new IcmpProbeSpec(host, count, spacing, payloadBytes, hops, dontFragment, maxLossRatio, network);
    }

    /** This spec with the IPv4 DF bit always set, or not. */
    public IcmpProbeSpec withDontFragment(boolean set) {
        return new IcmpProbeSpec(host, count, spacing, payloadBytes, ttl, set, maxLossRatio, network);
    }

    /** This spec allowing the share {@code ratio} (0..1) of requests to go unanswered. */
    public IcmpProbeSpec withMaxLoss(double ratio) {
        return new IcmpProbeSpec(host, count, spacing, payloadBytes, ttl, dontFragment, ratio, network);
    }

    /** This spec with {@code settings} for resolving and reaching the host. */
    public IcmpProbeSpec withNetwork(NetworkSettings settings) {
        return new IcmpProbeSpec(host, count, spacing, payloadBytes, ttl, dontFragment, maxLossRatio, settings);
    }

    @Override
    public ProbeType type() {
        return ProbeType.ICMP;
    }
}
