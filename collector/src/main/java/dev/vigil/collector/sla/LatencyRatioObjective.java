package dev.vigil.collector.sla;

/**
 * The share of samples in agreed service time that must be successful and no slower than a threshold
 * ("99 % of requests within 300 ms"). Failed samples are bad.
 *
 * @param target          required share of good samples, in (0, 1)
 * @param thresholdMicros latency limit, microseconds, 1 µs .. 1 h; compared at the histograms'
 *                        resolution of 3 significant digits
 */
public record LatencyRatioObjective(double target, long thresholdMicros) implements Objective {
    /** Validates. */
    public LatencyRatioObjective {
        Objective.checkShare("latency ratio target", target);
        Objective.checkThreshold(thresholdMicros);
    }

    @Override
    public String kind() {
        return "latency-ratio";
    }
}
