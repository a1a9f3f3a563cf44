package dev.vigil.collector.sla;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The SLA figures of one check over one trailing window ending now.
 *
 * @param window            the window
 * @param observedMillis    the part of the window since the check's first sample, ≥ 0
 * @param downtimeMillis    outage time within the observed part, 0..observedMillis
 * @param outages           outages overlapping the window, the ongoing one included
 * @param endedOutages      outages that ended within the window
 * @param endedOutageMillis the summed full durations of those ended outages
 * @param samples           samples of any outcome in the window's buckets
 * @param latency           percentiles of the successful samples in the window's buckets, if any
 */
public record WindowFigures(
        Window window,
        long observedMillis,
        long downtimeMillis,
        int outages,
        int endedOutages,
        long endedOutageMillis,
        long samples,
        Optional<LatencyPercentiles> latency) {

    /** Validates ranges. */
    public WindowFigures {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(latency, "latency");
        if (observedMillis < 0 || downtimeMillis < 0 || downtimeMillis > observedMillis) {
            throw new IllegalArgumentException("need 0 <= downtime <= observed (were " + downtimeMillis
                    + ", " + observedMillis + ")");
        }
        if (outages < 0 || endedOutages < 0 || endedOutageMillis < 0 || samples < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** 1 − downtime / observed time; empty when nothing of the window has been observed. */
    public OptionalDouble availability() {
        if (observedMillis == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(1.0 - (double) downtimeMillis / observedMillis);
    }

    /** Mean time to recover: the mean full duration of the outages that ended in the window, millis. */
    public OptionalDouble mttrMillis() {
        if (endedOutages == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) endedOutageMillis / endedOutages);
    }
}
