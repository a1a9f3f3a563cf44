package dev.vigil.collector.sla;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The latency samples of a service within some agreed time, as latency objectives read them.
 * Latencies are microseconds kept at 3 significant digits between 1 µs and 1 h.
 */
public interface LatencyView {
    /** Number of samples, successful or not. */
    long samples();

    /** Number of successful samples. */
    long successes();

    /**
     * Number of successful samples whose latency is at or below {@code thresholdMicros}, decided at
     * the histograms' resolution.
     */
    long successesAtOrBelow(long thresholdMicros);

    /** The given percentile (0..100) of the successful samples' latency, microseconds; empty when none. */
    OptionalLong percentileMicros(double percentile);

    /**
     * The mean latency of the successful samples, microseconds, at the same resolution (each latency
     * counted as the middle of its bucket, as HdrHistogram's {@code getMean} does); empty when none.
     */
    default OptionalDouble meanMicros() {
        return OptionalDouble.empty();
    }
}
