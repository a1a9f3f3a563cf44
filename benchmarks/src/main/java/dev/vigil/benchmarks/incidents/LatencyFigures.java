package dev.vigil.benchmarks.incidents;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A summary of measured latencies by nearest rank (the value at rank ⌈q·n⌉ of the sorted values, so
 * every figure is one that was measured), in nanoseconds.
 *
 * @param count how many were measured
 * @param lost  how many never arrived within the harness's deadline (not in the figures)
 * @param p50   the median, ns, or -1 when none was measured
 * @param p90   the 90th percentile, ns
 * @param p99   the 99th percentile, ns
 * @param max   the largest, ns
 */
record LatencyFigures(int count, int lost, long p50, long p90, long p99, long max) {

    static LatencyFigures of(List<Long> nanos, int lost) {
        if (nanos.isEmpty()) {
            return new LatencyFigures(0, lost, -1, -1, -1, -1);
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new LatencyFigures(sorted.length, lost, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** {@code nanos} as milliseconds with three decimals, e.g. {@code 12.345 ms}. */
    static String millis(long nanos) {
        return nanos < 0 ? "—" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /** {@code value / baseline} with two decimals, e.g. {@code 1.25×}; a dash when either is missing. */
    static String ratio(long value, long baseline) {
        return value < 0 || baseline <= 0 ? "—" : String.format(Locale.ROOT, "%.2f×", (double) value / baseline);
    }
}
