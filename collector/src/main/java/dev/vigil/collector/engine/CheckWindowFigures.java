package dev.vigil.collector.engine;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The figures of one check location over a trailing window, 24x7 and without maintenance: what an
 * operator looks at for a check that belongs to no SLA, or before looking at its service.
 *
 * @param window         the window
 * @param observedMillis the window since the location's retained history began, up to now
 * @param downtimeMillis DOWN time within it
 * @param noDataMillis   NO_DATA time within it (silent agent)
 * @param outages        outages overlapping the window
 * @param mttrMillis     mean full duration of the outages that ended in the window; empty if none
 * @param samples        samples in the window's 15-minute buckets (the bucket holding the window's start
 *                       is counted when its start lies in the window)
 * @param successes      the successful ones among them
 * @param meanMicros     their mean latency, microseconds (each latency the middle of its 3-digit bucket);
 *                       empty without any
 * @param p50Micros      median latency of the successful samples there, microseconds; empty without any
 * @param p90Micros      90th percentile, likewise
 * @param p95Micros      95th percentile, likewise
 * @param p99Micros      99th percentile, likewise
 */
public record CheckWindowFigures(TrailingWindow window, long observedMillis, long downtimeMillis, long noDataMillis,
        int outages, OptionalDouble mttrMillis, long samples, long successes, OptionalDouble meanMicros,
        OptionalLong p50Micros, OptionalLong p90Micros, OptionalLong p95Micros, OptionalLong p99Micros) {

    /** Validates. */
    public CheckWindowFigures {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(mttrMillis, "mttrMillis");
        Objects.requireNonNull(meanMicros, "meanMicros");
        Objects.requireNonNull(p50Micros, "p50Micros");
        Objects.requireNonNull(p90Micros, "p90Micros");
        Objects.requireNonNull(p95Micros, "p95Micros");
        Objects.requireNonNull(p99Micros, "p99Micros");
        if (observedMillis < 0 || downtimeMillis < 0 || noDataMillis < 0
                || downtimeMillis + noDataMillis > observedMillis) {
            throw new IllegalArgumentException("need 0 <= downtime + no data <= observed (were " + downtimeMillis
                    + " + " + noDataMillis + ", " + observedMillis + ")");
        }
    }

    /** 1 − downtime / (observed − no data): the no-data time is left out; empty without data. */
    public OptionalDouble availability() {
        long withData = observedMillis - noDataMillis;
        return withData <= 0 ? OptionalDouble.empty() : OptionalDouble.of(1.0 - (double) downtimeMillis / withData);
    }
}
