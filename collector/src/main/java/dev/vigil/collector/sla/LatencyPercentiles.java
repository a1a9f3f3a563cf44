package dev.vigil.collector.sla;

/**
 * Latency percentiles of the successful samples in a window, as HdrHistogram reports them: each value
 * is the highest value equivalent to the true percentile at 3 significant digits.
 *
 * @param p50Micros the median total time, microseconds
 * @param p95Micros the 95th percentile, microseconds
 * @param p99Micros the 99th percentile, microseconds
 * @param count     how many successful samples they are computed from, ≥ 1
 * @param sumMicros the sum of those samples' total times, microseconds (each clamped to 1 µs .. 1 h)
 */
public record LatencyPercentiles(long p50Micros, long p95Micros, long p99Micros, long count, long sumMicros) {

    /** Validates order and count. */
    public LatencyPercentiles {
        if (count < 1 || sumMicros < count) {
            throw new IllegalArgumentException("percentiles need at least one sample of at least 1 µs (were "
                    + count + " samples, " + sumMicros + " µs)");
        }
        if (p50Micros < 0 || p50Micros > p95Micros || p95Micros > p99Micros) {
            throw new IllegalArgumentException("percentiles must be ordered and >= 0 (were "
                    + p50Micros + ", " + p95Micros + ", " + p99Micros + ")");
        }
    }
}
