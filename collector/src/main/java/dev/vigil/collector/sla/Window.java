package dev.vigil.collector.sla;

import java.time.Duration;

/**
 * A trailing window the SLA figures are computed over, with the bucket size its sample counts and
 * latency histograms are kept in.
 */
public enum Window {
    /** The last hour, latency in 60 one-minute buckets. */
    HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    /** The last 24 hours, latency in 24 one-hour buckets. */
    DAY("24h", Duration.ofHours(24), Duration.ofHours(1)),
    /** The last 30 days, latency in 30 one-day (UTC) buckets. */
    MONTH("30d", Duration.ofDays(30), Duration.ofDays(1));

    private final String label;
    private final long lengthMillis;
    private final long bucketMillis;

    Window(String label, Duration length, Duration bucket) {
        this.label = label;
        this.lengthMillis = length.toMillis();
        this.bucketMillis = bucket.toMillis();
    }

    /** The name used in the API and in metric labels: {@code 1h}, {@code 24h}, {@code 30d}. */
    public String label() {
        return label;
    }

    /** The window's length in milliseconds. */
    public long lengthMillis() {
        return lengthMillis;
    }

    /** The length of one latency bucket in milliseconds; buckets are aligned to the epoch. */
    public long bucketMillis() {
        return bucketMillis;
    }

    /** How many buckets the window holds, the current one included. */
    public int buckets() {
        return Math.toIntExact(lengthMillis / bucketMillis);
    }
}
