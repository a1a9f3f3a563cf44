package dev.vigil.collector.sla;

/**
 * One target of an SLA. Each has a target share of good (time or samples) in (0, 1), from which its
 * error budget follows: {@code 1 − target} of the total may be bad.
 */
public sealed interface Objective permits AvailabilityObjective, LatencyRatioObjective, LatencyPercentileObjective {

    /** Longest latency a threshold may name, microseconds: the histograms' range ends at 1 h. */
    long MAX_THRESHOLD_MICROS = 3_600_000_000L;

    /** The share of good time or samples required, in (0, 1). */
    double target();

    /** Short name for reports and metrics, e.g. {@code availability}, {@code latency-ratio}. */
    String kind();

    /** Checks that a target lies strictly between 0 and 1. */
    static void checkShare(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be > 0 and < 1 (was " + value + ")");
        }
    }

    /** Checks a latency threshold against the histograms' range. */
    static void checkThreshold(long thresholdMicros) {
        if (thresholdMicros < 1 || thresholdMicros > MAX_THRESHOLD_MICROS) {
            throw new IllegalArgumentException("thresholdMicros must be 1.." + MAX_THRESHOLD_MICROS + " (was "
                    + thresholdMicros + ")");
        }
    }
}
