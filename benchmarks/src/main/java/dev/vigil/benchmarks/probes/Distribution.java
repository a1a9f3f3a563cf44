package dev.vigil.benchmarks.probes;

import java.util.Arrays;
import java.util.Collection;

/**
 * A summary of measured nanoseconds: count, median, 99th and 99.9th percentile and maximum, by
 * nearest rank (the value at rank ⌈q·n⌉ of the sorted values, so every figure is a value that
 * was measured).
 *
 * @param count   how many values
 * @param p50     the median, ns
 * @param p99     the 99th percentile, ns
 * @param p999    the 99.9th percentile, ns
 * @param max     the largest value, ns
 */
record Distribution(int count, long p50, long p99, long p999, long max) {

    /** The distribution of nothing: count 0 and every figure -1. */
    static final Distribution EMPTY = new Distribution(0, -1, -1, -1, -1);

    static Distribution of(Collection<Long> nanos) {
        return of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    static Distribution of(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Distribution(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999),
                sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
