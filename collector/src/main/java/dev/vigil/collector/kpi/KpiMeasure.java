package dev.vigil.collector.kpi;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * One KPI of one service over one period: the times measured, and how many incidents met the target.
 *
 * @param count       how many incidents the times are measured over
 * @param meanSeconds their mean; empty when none
 * @param p50Seconds  their median (nearest rank); empty when none
 * @param p90Seconds  their 90th percentile (nearest rank); empty when none
 * @param met         incidents that met the target
 * @param missed      incidents that missed it, including open ones already older than the target
 * @param pending     open incidents that may still meet it: not judged yet
 */
public record KpiMeasure(int count, OptionalDouble meanSeconds, OptionalDouble p50Seconds,
        OptionalDouble p90Seconds, int met, int missed, int pending) {

    /** Validates the counts and that times are given exactly when something was measured. */
    public KpiMeasure {
        if (count < 0 || met < 0 || missed < 0 || pending < 0) {
            throw new IllegalArgumentException("counts must be >= 0 (were " + count + ", " + met + ", " + missed
                    + ", " + pending + ")");
        }
        if (meanSeconds.isPresent() != (count > 0) || p50Seconds.isPresent() != (count > 0)
                || p90Seconds.isPresent() != (count > 0)) {
            throw new IllegalArgumentException("times are given exactly when count > 0 (count " + count + ")");
        }
    }

    /** The measure of {@code millis} (the times measured) with those counts. */
    static KpiMeasure of(long[] millis, int met, int missed, int pending) {
        if (millis.length == 0) {
            return new KpiMeasure(0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), met,
                    missed, pending);
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long value : sorted) {
            sum += value;
        }
        return new KpiMeasure(sorted.length, OptionalDouble.of(sum / sorted.length / 1000.0),
                OptionalDouble.of(rank(sorted, 50) / 1000.0), OptionalDouble.of(rank(sorted, 90) / 1000.0), met,
                missed, pending);
    }

    /** Incidents judged against the target: those that met it and those that missed it. */
    public int judged() {
        return met + missed;
    }

    /** The share of judged incidents that met the target, 0..1; empty when none is judged yet. */
    public OptionalDouble metRatio() {
        return judged() == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) met / judged());
    }

    /** {@link #metRatio()} as a percentage, 0..100. */
    public OptionalDouble metPercent() {
        return judged() == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * met / judged());
    }

    /** Nearest rank: the smallest value with at least {@code percent}% of the values at or below it. */
    private static long rank(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
