package dev.vigil.collector.sla;

/**
 * Where latency objectives get their samples: the latency store of one service (or check). A
 * 15-minute epoch-aligned bucket counts toward {@code agreed} when its start instant lies in it.
 */
public interface LatencySource {
    /** The samples of the buckets whose start lies in {@code agreed}. */
    LatencyView view(IntervalSet agreed);
}
