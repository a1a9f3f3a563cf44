package dev.vigil.agent.metrics;

import dev.vigil.agent.journal.LossReason;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.Sample;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
    private final InstantSource clock;
    private final AtomicLong backlogSamples = new AtomicLong();
    private final AtomicLong oldestUnackedMillis = new AtomicLong(-1);
    private final AtomicLong journalBytes = new AtomicLong();
    private final AtomicLong journalEpoch = new AtomicLong();
    private final Counter journaled;
    private final Counter dropped;
    private final Counter acked;
    private final Counter probes;
    private final Histogram probeDuration;
    private final Counter skipped;
    private final Counter shipFailures;
    private final Counter rejected;
    private final AtomicReference<String> assignmentVersion = new AtomicReference<>();
    private final AtomicLong assignmentAppliedMillis = new AtomicLong();
    private final AtomicLong assignmentPolledMillis = new AtomicLong();
    private final AtomicLong assignedChecks = new AtomicLong();
    private final AtomicLong assignedChecksRefused = new AtomicLong();
    private final Counter assignmentPollFailures;
    private final Counter assignmentsRejected;

    /** Registers the agent's metrics and the JVM's; {@code agent} and {@code location} label {@code vigil_agent_info}. */
    public AgentMetrics(String agent, String location) {
        this(agent, location, InstantSource.system());
    }

    /** As {@link #AgentMetrics(String, String)}, with ages measured on {@code clock}. */
    public AgentMetrics(String agent, String location, InstantSource clock) {
        this.clock = clock;
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
                .help("Samples the agent took and lost, by reason (journal_queue_full, not_journaled, disk_budget, "
                        + "unreadable, malformed); each is reported to the collector as a gap")
                .labelNames("reason")
                .register(registry);
        for (LossReason reason : LossReason.values()) {
            dropped.labelValues(reason.label());
        }
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
        rejected = Counter.builder()
                .name("vigil_agent_samples_rejected_total")
                .help("Samples the collector refused for good, by reason (invalid, future, too_old)")
                .labelNames("reason")
                .register(registry);
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.labelValues(reason.label());
        }
        assignmentPollFailures = Counter.builder()
                .name("vigil_agent_assignment_polls_failed_total")
                .help("Assignment polls that got no usable answer (collector unreachable, refused, error status)")
                .register(registry);
        assignmentsRejected = Counter.builder()
                .name("vigil_agent_assignment_documents_rejected_total")
                .help("Assignment documents refused as a whole (do not read, or a probe cannot be built), once per "
                        + "version; the previous checks run on")
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_assignment_info")
                .help("Always 1, labelled with the version of the assignment running; absent until one runs")
                .labelNames("version")
                .callback(callback -> {
                    String version = assignmentVersion.get();
                    if (version != null) {
                        callback.call(1, version);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_assignment_applied_timestamp_seconds")
                .help("When the running assignment was applied (epoch seconds); 0 until one is")
                .unit(Unit.SECONDS)
                .callback(callback -> callback.call(assignmentAppliedMillis.get() / 1e3))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_assignment_last_poll_success_timestamp_seconds")
                .help("When an assignment poll last got an answer from the collector (epoch seconds); 0 until one did")
                .unit(Unit.SECONDS)
                .callback(callback -> callback.call(assignmentPolledMillis.get() / 1e3))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_assignment_checks")
                .help("Assigned checks running")
                .callback(callback -> callback.call(assignedChecks.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_assignment_checks_refused")
                .help("Assigned checks not run because a local check has the same id")
                .callback(callback -> callback.call(assignedChecksRefused.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_journal_backlog_samples")
                .help("Journaled samples the collector has not acknowledged yet")
                .callback(callback -> callback.call(backlogSamples.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_journal_oldest_unacked_age_seconds")
                .help("Age of the oldest journaled sample not acknowledged yet, by its scheduled time; 0 when none")
                .unit(Unit.SECONDS)
                .callback(callback -> {
                    long oldest = oldestUnackedMillis.get();
                    callback.call(oldest < 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1e3);
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_journal_bytes")
                .help("Bytes the journal's files take on disk, as last measured")
                .unit(Unit.BYTES)
                .callback(callback -> callback.call(journalBytes.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vigil_agent_journal_created_timestamp_seconds")
                .help("When the journal was created (its epoch), in seconds since the epoch; changes when the journal "
                        + "is new")
                .unit(Unit.SECONDS)
                .callback(callback -> callback.call(journalEpoch.get() / 1e3))
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

    /** Counts {@code samples} samples lost for {@code reason}. */
    public void lost(LossReason reason, long samples) {
        dropped.labelValues(reason.label()).inc(samples);
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

    /** Counts {@code count} samples the collector refused for good for {@code reason}. */
    public void rejected(RejectionReason reason, int count) {
        rejected.labelValues(reason.label()).inc(count);
    }

    /**
     * Sets the number of journaled samples not acknowledged yet, and the scheduled time (epoch
     * milliseconds) of the oldest of them, -1 when none.
     */
    public void backlog(long samples, long oldestScheduledMillis) {
        backlogSamples.set(samples);
        oldestUnackedMillis.set(samples == 0 ? -1 : oldestScheduledMillis);
    }

    /** Records a poll that got an answer at {@code epochMillis}. */
    public void assignmentPolled(long epochMillis) {
        assignmentPolledMillis.set(epochMillis);
    }

    /** Counts a poll without a usable answer. */
    public void assignmentPollFailed() {
        assignmentPollFailures.inc();
    }

    /** Records that assignment {@code version} runs {@code running} checks and refused {@code refused}. */
    public void assignmentApplied(String version, int running, int refused) {
        assignmentVersion.set(version);
        assignmentAppliedMillis.set(clock.millis());
        assignedChecks.set(running);
        assignedChecksRefused.set(refused);
    }

    /** Counts an assignment document refused as a whole. */
    public void assignmentRejected() {
        assignmentsRejected.inc();
    }

    /** Sets the journal's size on disk and its epoch (epoch milliseconds when it was created). */
    public void journal(long bytes, long epoch) {
        journalBytes.set(bytes);
        journalEpoch.set(epoch);
    }
}
