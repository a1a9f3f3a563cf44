package dev.vigil.collector.ingest;

import dev.vigil.collector.state.SampleDisposition;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.RejectionReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The ingest counters: {@code vigil_ingest_samples_total{agent}},
 * {@code vigil_ingest_duplicates_total{agent}}, {@code vigil_ingest_samples_unapplied_total{agent,reason}}
 * {@code vigil_ingest_rejected_total{reason}}, {@code vigil_ingest_requests_total{agent,tenant}} and, for the
 * JSON samples API, {@code vigil_ingest_external_rejected_total{agent,reason}}.
 * They count what this process received; a replay does not add to them.
 */
public final class IngestCounters {
    private final Counter samples;
    private final Counter duplicates;
    private final Counter unapplied;
    private final Counter rejected;
    private final Counter requests;
    private final Counter recordsRejected;
    private final Counter gaps;
    private final Counter lostSamples;
    private final Gauge delay;
    private final Counter externalRejected;

    /** Registers the counters in {@code registry}, at zero for every configured agent and reason. */
    public IngestCounters(PrometheusRegistry registry, List<String> agents) {
        samples = Counter.builder().name("vigil_ingest_samples_total")
                .help("Samples accepted from agents and appended to the collector journal")
                .labelNames("agent").register(registry);
        duplicates = Counter.builder().name("vigil_ingest_duplicates_total")
                .help("Samples received again that the collector already held, ignored")
                .labelNames("agent").register(registry);
        unapplied = Counter.builder().name("vigil_ingest_samples_unapplied_total")
                .help("Samples accepted and journaled but not applied to their check: out_of_order (scheduled at "
                        + "or before the last applied one), future or too_old (too far from the receive time)")
                .labelNames("agent", "reason").register(registry);
        rejected = Counter.builder().name("vigil_ingest_rejected_total")
                .help("Ingest requests refused, by reason")
                .labelNames("reason").register(registry);
        requests = Counter.builder().name("vigil_ingest_requests_total")
                .help("Ingest requests whose credentials identified an agent, by agent and its tenant")
                .labelNames("agent", "tenant").register(registry);
        recordsRejected = Counter.builder().name("vigil_ingest_records_rejected_total")
                .help("Samples refused for good and listed in the ack, by reason: invalid, future (clock skew), "
                        + "too_old; not journaled")
                .labelNames("agent", "reason").register(registry);
        gaps = Counter.builder().name("vigil_ingest_agent_gaps_total")
                .help("Gap notices received from agents: samples an agent took but could not deliver, by reason")
                .labelNames("agent", "reason").register(registry);
        lostSamples = Counter.builder().name("vigil_ingest_agent_lost_samples_total")
                .help("Samples agents reported lost in gap notices, by reason (disk_budget, not_journaled, "
                        + "unreadable, malformed)")
                .labelNames("agent", "reason").register(registry);
        delay = Gauge.builder().name("vigil_ingest_delay_seconds")
                .help("Receive time minus scheduled time of the last sample accepted from each agent: how far "
                        + "behind its journal the agent ships")
                .labelNames("agent").register(registry);
        externalRejected = Counter.builder().name("vigil_ingest_external_rejected_total")
                .help("Samples posted to the JSON samples API and refused for good, not journaled: too_old, future "
                        + "(outside the horizon) or out_of_order (at or before the check's last applied sample)")
                .labelNames("agent", "reason").register(registry);
        for (String agent : agents) {
            for (ExternalSamples.Verdict verdict : ExternalSamples.Verdict.values()) {
                if (verdict.rejected()) {
                    externalRejected.initLabelValues(agent, verdict.label());
                }
            }
            for (RejectionReason reason : RejectionReason.values()) {
                recordsRejected.initLabelValues(agent, reason.label());
            }
            for (GapReason reason : GapReason.values()) {
                gaps.initLabelValues(agent, reason.label());
                lostSamples.initLabelValues(agent, reason.label());
            }
            samples.initLabelValues(agent);
            duplicates.initLabelValues(agent);
            for (SampleDisposition disposition : SampleDisposition.values()) {
                if (!disposition.applied()) {
                    unapplied.initLabelValues(agent, disposition.label());
                }
            }
        }
        for (RejectReason reason : RejectReason.values()) {
            rejected.initLabelValues(reason.label());
        }
    }

    void accepted(String agent, int count) {
        samples.labelValues(agent).inc(count);
    }

    void duplicates(String agent, int count) {
        duplicates.labelValues(agent).inc(count);
    }

    void unapplied(String agent, SampleDisposition disposition) {
        unapplied.labelValues(agent, disposition.label()).inc();
    }

    void rejectedRecord(String agent, RejectionReason reason) {
        recordsRejected.labelValues(agent, reason.label()).inc();
    }

    void gap(String agent, Gap gap) {
        gaps.labelValues(agent, gap.reason().label()).inc();
        lostSamples.labelValues(agent, gap.reason().label()).inc(gap.samples());
    }

    void delivered(String agent, long delayMillis) {
        delay.labelValues(agent).set(delayMillis / 1000.0);
    }

    /** Counts a request refused at the collector's edge; also for the heartbeat endpoint. */
    public void rejected(RejectReason reason) {
        rejected.labelValues(reason.label()).inc();
    }

    void externalRejected(String agent, ExternalSamples.Verdict verdict) {
        externalRejected.labelValues(agent, verdict.label()).inc();
    }

    void authenticated(AgentIdentity identity) {
        requests.labelValues(identity.agent(), identity.tenant()).inc();
    }
}
