package dev.vigil.collector.engine;

import dev.vigil.collector.sla.CheckLatency;
import dev.vigil.collector.sla.CheckTimeline;
import java.util.Objects;

/** What the engine keeps of one check location: its state timeline and its latency buckets. */
record CheckRecord(CheckTimeline timeline, CheckLatency latency) {
    CheckRecord {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(latency, "latency");
    }
}
