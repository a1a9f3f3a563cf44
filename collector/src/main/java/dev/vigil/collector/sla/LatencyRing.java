package dev.vigil.collector.sla;

import java.util.Arrays;
import java.util.Optional;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * The sample counts and latencies of one check over one {@link Window}: a ring of buckets aligned to
 * the epoch, the bucket holding now and the {@code buckets − 1} before it. A bucket is recycled, not
 * reallocated, when the ring comes round to it. How a bucket keeps its latencies is up to the
 * subclass. Not thread-safe.
 */
abstract class LatencyRing {
    /** Latencies are recorded in microseconds, from 1 µs to 1 h, at 3 significant digits. */
    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long bucketMillis;
    private final int size;
    private final long[] bucketIds;
    private final long[] counts;
    private final long[] sumsMicros;
    private long totalCount;
    private long totalSumMicros;

    LatencyRing(Window window) {
        this.bucketMillis = window.bucketMillis();
        this.size = window.buckets();
        this.bucketIds = new long[size];
        this.counts = new long[size];
        this.sumsMicros = new long[size];
        Arrays.fill(bucketIds, EMPTY);
    }

    /** The ring suited to {@code window}: raw values for minute buckets, histograms for longer ones. */
    static LatencyRing forWindow(Window window) {
        return window.bucketMillis() <= Window.HOUR.bucketMillis() ? new ValueRing(window) : new HistogramRing(window);
    }

    /** A flat histogram of the configured range and precision, e.g. as a query's scratch space. */
    static Histogram newFlatHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /**
     * Counts a sample and, when it succeeded, records its latency.
     *
     * @param scheduledEpochMillis the sample's scheduled start
     * @param latencyMicros        its total time in microseconds, or a negative value for a failed sample
     */
    final void record(long scheduledEpochMillis, long latencyMicros) {
        long id = Math.floorDiv(scheduledEpochMillis, bucketMillis);
        int slot = (int) Math.floorMod(id, (long) size);
        if (bucketIds[slot] != id) {
            if (bucketIds[slot] != EMPTY && bucketIds[slot] > id) {
                // A sample older than the bucket now occupying its slot is outside every window that
                // bucket can be part of; late samples are not yet re-ordered.
                return;
            }
            expire(slot);
            bucketIds[slot] = id;
        }
        counts[slot]++;
        totalCount++;
        if (latencyMicros >= 0) {
            long micros = Math.max(1, Math.min(HIGHEST_MICROS, latencyMicros));
            sumsMicros[slot] += micros;
            totalSumMicros += micros;
            addLatency(slot, micros);
        }
    }

    /** Drops the buckets that are no longer among the {@code buckets} ending with {@code now}'s. */
    final void advance(long nowEpochMillis) {
        long oldestLive = Math.floorDiv(nowEpochMillis, bucketMillis) - size + 1;
        for (int slot = 0; slot < size; slot++) {
            if (bucketIds[slot] != EMPTY && bucketIds[slot] < oldestLive) {
                expire(slot);
            }
        }
    }

    /** Samples of any outcome in the live buckets. Call {@link #advance} first. */
    final long samples() {
        return totalCount;
    }

    /**
     * Percentiles of the successful samples in the live buckets. Call {@link #advance} first.
     *
     * @param scratch a flat histogram of the same range and precision the ring may reset and fill
     */
    final Optional<LatencyPercentiles> percentiles(Histogram scratch) {
        AbstractHistogram live = liveLatencies(scratch);
        if (live == null || live.getTotalCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new LatencyPercentiles(
                live.getValueAtPercentile(50.0),
                live.getValueAtPercentile(95.0),
                live.getValueAtPercentile(99.0),
                live.getTotalCount(),
                totalSumMicros));
    }

    /**
     * The latencies of the live buckets as one histogram, or null when there are none.
     *
     * @param scratch a flat histogram of the same range and precision the ring may reset and fill
     */
    abstract AbstractHistogram liveLatencies(Histogram scratch);

    /** Records a latency, 1..{@link #HIGHEST_MICROS} µs, in {@code slot}. */
    abstract void addLatency(int slot, long micros);

    /** Forgets the latencies of {@code slot}, which is about to hold another bucket. */
    abstract void clearLatencies(int slot);

    final int size() {
        return size;
    }

    private void expire(int slot) {
        if (bucketIds[slot] == EMPTY) {
            return;
        }
        totalCount -= counts[slot];
        counts[slot] = 0;
        totalSumMicros -= sumsMicros[slot];
        sumsMicros[slot] = 0;
        bucketIds[slot] = EMPTY;
        clearLatencies(slot);
    }
}
