package dev.vigil.collector.heartbeat;

import dev.vigil.collector.config.HeartbeatConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.OptionalLong;

/**
 * The heartbeat metrics, labelled by configured heartbeat id only:
 * {@code vigil_heartbeats_received_total{check,status}} and {@code vigil_heartbeats_missed_total{check}}
 * count what this process recorded (a replay does not add to them), and
 * {@code vigil_heartbeat_deadline_timestamp_seconds{check}} is when each check is next due (absent
 * before its first heartbeat), read from the journal-derived state at scrape time.
 */
public final class HeartbeatCounters {
    private final Counter received;
    private final Counter missed;

    /** Registers the counters in {@code registry}, at zero for every heartbeat in {@code heartbeats}. */
    public HeartbeatCounters(PrometheusRegistry registry, List<HeartbeatConfig> heartbeats) {
        received = Counter.builder().name("vigil_heartbeats_received_total")
                .help("Heartbeats reported and recorded, by check and status (ok or fail)")
                .labelNames("check", "status").register(registry);
        missed = Counter.builder().name("vigil_heartbeats_missed_total")
                .help("Deadlines a heartbeat check passed without a heartbeat, each recorded as a failed sample")
                .labelNames("check").register(registry);
        for (HeartbeatConfig heartbeat : heartbeats) {
            received.initLabelValues(heartbeat.id(), "ok");
            received.initLabelValues(heartbeat.id(), "fail");
            missed.initLabelValues(heartbeat.id());
        }
    }

    /**
     * Registers {@code vigil_heartbeat_deadline_timestamp_seconds}, reading {@code watch} when scraped
     * (on the thread that owns it, as every scrape of the collector is).
     */
    public void registerDeadlines(PrometheusRegistry registry, HeartbeatWatch watch) {
        GaugeWithCallback.builder().name("vigil_heartbeat_deadline_timestamp_seconds")
                .help("When each heartbeat check is next due, in seconds since the epoch: its last heartbeat plus "
                        + "period and grace, or its last missed deadline plus period; absent before its first heartbeat")
                .labelNames("check")
                .callback(callback -> {
                    for (HeartbeatConfig heartbeat : watch.heartbeats()) {
                        OptionalLong deadline = watch.deadline(heartbeat);
                        if (deadline.isPresent()) {
                            callback.call(deadline.getAsLong() / 1000.0, heartbeat.id());
                        }
                    }
                })
                .register(registry);
    }

    void received(String id, boolean success) {
        received.labelValues(id, success ? "ok" : "fail").inc();
    }

    void missed(String id) {
        missed.labelValues(id).inc();
    }
}
