package dev.vigil.agent.metrics;

import dev.vigil.protocol.Sample;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own Prometheus metrics, in a registry of its own (so several agents can share a JVM in
 * tests) together with the JVM's. Labels are the check id and the outcome: bounded by the
 * configuration and the {@link dev.vigil.protocol.Outcome} enum.
 */
public final class AgentMetrics {
    private static final double[] DURATION_BUCKETS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicLong backlogSamples = new AtomicLong();
    private final Counter journaled;
    private final Counter dropped;
    private final Counter acked;
    private final Counter probes;
    private final Histogram probeDuration;
    private final Counter skipped;
    private final Counter shipFailures;
    private final Counter rejectedAsDuplicate;

    /** Registers the agent's metrics and the JVM's; {@code agent} and {@code location} label {@code vigil_agent_info}. */
    public AgentMetrics(String agent, String location) {
        JvmMetrics.builder().register(registry);
        Gauge info = Gauge.builder()
                .name("vigil_agent_info")
                .help("Always 1; labels describe this agent")
                .labelNames("agent", "location")
                .register(registry);
        info.labelValues(agent, location).set(1);
        journaled = Counter.builder()
                .name("vigil_agent_samples_journaled_total")
                .help("Samples appended to the local journal")
                .register(registry);
        dropped = Counter.builder()
                .name("vigil_agent_samples_dropped_total")
                .help("Samples lost before reaching the journal (journal thread behind or journal failing)")
                .register(registry);
        acked = Counter.builder()
                .name("vigil_agent_samples_acked_total")
                .help("Samples the collector acknowledged")
                .register(registry);
        probes = Counter.builder()
                .name("vigil_agent_probes_total")
                .help("Probe runs journaled, by check and outcome")
                .labelNames("check", "outcome")
                .register(registry);
        probeDuration = Histogram.builder()
                .name("vigil_agent_probe_duration_seconds")
                .help("Total duration of probe runs, by check")
                .unit(Unit.SECONDS)
                .labelNames("check")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS_SECONDS)
                .register(registry);
        skipped = Counter.builder()
                .name("vigil_agent_probe_runs_skipped_total")
                .help("Scheduled probe runs skipped because the previous run was still in flight or the agent fell behind")
                .labelNames("check")
                .register(registry);
        shipFailures = Counter.builder()
                .name("vigil_agent_ship_failures_total")
                .help("Batches the collector did not acknowledge (unreachable, error status, bad answer)")
                .register(registry);
        rejectedAsDuplicate = Counter.builder()
                .name("vigil_agent_samples_rejected_as_duplicate_total")
                .help("Samples the collector took for duplicates of indexes it got from an earlier journal (journal reset)")
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_journal_backlog_samples")
                .help("Journaled samples the collector has not acknowledged yet")
                .callback(callback -> callback.call(backlogSamples.get()))
                .register(registry);
    }

    /** The registry to expose. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Counts a sample that is now in the journal. */
    public void journaled(Sample sample) {
        journaled.inc();
        probes.labelValues(sample.checkId(), sample.outcome().name().toLowerCase(Locale.ROOT)).inc();
        probeDuration.labelValues(sample.checkId()).observe(sample.totalNanos() / 1e9);
    }

    /** Counts a sample lost before the journal. */
    public void dropped() {
        dropped.inc();
    }

    /** Counts {@code count} skipped runs of {@code checkId}. */
    public void skipped(String checkId, int count) {
        skipped.labelValues(checkId).inc(count);
    }

    /** Counts {@code count} samples acknowledged by the collector. */
    public void acked(int count) {
        acked.inc(count);
    }

    /** Counts a failed delivery. */
    public void shipFailed() {
        shipFailures.inc();
    }

    /** Counts {@code count} samples the collector dropped as duplicates after a journal reset. */
    public void rejectedAsDuplicate(int count) {
        rejectedAsDuplicate.inc(count);
    }

    /** Sets the number of journaled samples not acknowledged yet. */
    public void backlog(long samples) {
        backlogSamples.set(samples);
    }
}
