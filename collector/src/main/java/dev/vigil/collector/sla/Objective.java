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

    /**
     * The objective's stable name, unique within an SLA: {@code availability}, {@code latency<=500ms},
     * {@code latency-p95<=1s}. Used as a metric label and in incident keys.
     */
    default String name() {
        if (this instanceof LatencyRatioObjective ratio) {
            return "latency<=" + micros(ratio.thresholdMicros());
        }
        if (this instanceof LatencyPercentileObjective percentile) {
            double p = percentile.percentile();
            return "latency-p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "<="
                    + micros(percentile.thresholdMicros());
        }
        return "availability";
    }

    private static String micros(long micros) {
        if (micros % 1_000_000 == 0) {
            return micros / 1_000_000 + "s";
        }
        if (micros % 1_000 == 0) {
            return micros / 1_000 + "ms";
        }
        return micros + "us";
    }

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
