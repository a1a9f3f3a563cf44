package dev.vigil.collector.sla;

/**
 * A percentile of the latency of the successful samples in agreed service time that must not exceed a
 * threshold ("p95 ≤ 500 ms"). Its {@link #target()} is {@code percentile / 100}: the share of
 * successful samples that must be at or below the threshold.
 *
 * @param percentile      the percentile, in (0, 100), e.g. 95 or 99.9
 * @param thresholdMicros latency limit, microseconds, 1 µs .. 1 h
 */
public record LatencyPercentileObjective(double percentile, long thresholdMicros) implements Objective {
    /** Validates. */
    public LatencyPercentileObjective {
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("percentile must be > 0 and < 100 (was " + percentile + ")");
        }
        Objective.checkThreshold(thresholdMicros);
    }

    @Override
    public double target() {
        // via decimal, so that 99.9 gives 0.999 and not 0.9990000000000001
        return java.math.BigDecimal.valueOf(percentile).movePointLeft(2).doubleValue();
    }

    @Override
    public String kind() {
        return "latency-percentile";
    }
}
