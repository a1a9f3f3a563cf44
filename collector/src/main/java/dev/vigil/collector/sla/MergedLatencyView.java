package dev.vigil.collector.sla;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The answer of {@link CheckLatency#view}: totals plus the successful latencies as ascending
 * distinct {@link LatencyScale} indexes with running counts, so every question is a binary search.
 * Immutable, so safe to share between threads.
 */
final class MergedLatencyView implements LatencyView {
    private final long samples;
    private final long successes;
    private final int[] indices;
    private final long[] cumulativeCounts;

    MergedLatencyView(long samples, long successes, int[] indices, long[] cumulativeCounts) {
        this.samples = samples;
        this.successes = successes;
        this.indices = indices;
        this.cumulativeCounts = cumulativeCounts;
    }

    @Override
    public long samples() {
        return samples;
    }

    @Override
    public long successes() {
        return successes;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A latency {@code v} counts when HdrHistogram puts it in the same or a lower bucket than
     * {@code thresholdMicros}: {@code lowestEquivalentValue(v) <= thresholdMicros}, which is
     * {@code getCountBetweenValues(0, thresholdMicros)} of a flat histogram. A threshold of 0 counts
     * nothing (latencies are at least 1 µs); one of an hour or more counts every success.
     *
     * @param thresholdMicros ≥ 0
     */
    @Override
    public long successesAtOrBelow(long thresholdMicros) {
        if (thresholdMicros < 0) {
            throw new IllegalArgumentException("thresholdMicros must be >= 0 (was " + thresholdMicros + ")");
        }
        if (thresholdMicros < LatencyScale.LOWEST_MICROS) {
            return 0;
        }
        int position = Arrays.binarySearch(indices, LatencyScale.index(thresholdMicros));
        int last = position >= 0 ? position : -position - 2;
        return last < 0 ? 0 : cumulativeCounts[last];
    }

    /**
     * {@inheritDoc}
     *
     * <p>HdrHistogram's {@code getValueAtPercentile}: the highest value equivalent to the bucket where
     * the running count first reaches {@code ceil(percentile × successes / 100)} (at least 1), or for
     * percentile 0 the lowest value of the first bucket.
     *
     * @param percentile 0..100
     */
    @Override
    public OptionalLong percentileMicros(double percentile) {
        if (!(percentile >= 0.0 && percentile <= 100.0)) {
            throw new IllegalArgumentException("percentile must be within 0..100 (was " + percentile + ")");
        }
        if (successes == 0) {
            return OptionalLong.empty();
        }
        // Exactly HdrHistogram's arithmetic, one ulp down included, so the answers agree to the bit.
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0D), 100.0D);
        long countAtPercentile = Math.max(1, (long) Math.ceil(requested * successes / 100.0D));
        int position = Arrays.binarySearch(cumulativeCounts, countAtPercentile);
        int entry = position >= 0 ? position : -position - 1;
        int index = indices[entry];
        return OptionalLong.of(percentile == 0.0 ? LatencyScale.lowestValue(index) : LatencyScale.highestValue(index));
    }

    @Override
    public OptionalDouble meanMicros() {
        if (successes == 0) {
            return OptionalDouble.empty();
        }
        double total = 0;
        long previous = 0;
        for (int i = 0; i < indices.length; i++) {
            long lowest = LatencyScale.lowestValue(indices[i]);
            long highest = LatencyScale.highestValue(indices[i]);
            // HdrHistogram's medianEquivalentValue: the bucket's lowest value plus half its width.
            double median = lowest + (highest - lowest + 1) / 2;
            total += median * (cumulativeCounts[i] - previous);
            previous = cumulativeCounts[i];
        }
        return OptionalDouble.of(total / successes);
    }

    @Override
    public String toString() {
        return "LatencyView[samples=" + samples + ", successes=" + successes + ", distinctLatencies="
                + indices.length + "]";
    }
}
