package dev.vigil.collector.ingest;

import dev.vigil.collector.state.SampleDisposition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The ingest counters: {@code vigil_ingest_samples_total{agent}},
 * {@code vigil_ingest_duplicates_total{agent}}, {@code vigil_ingest_samples_unapplied_total{agent,reason}}
 * {@code vigil_ingest_rejected_total{reason}} and {@code vigil_ingest_requests_total{agent,tenant}}.
 * They count what this process received; a replay does not add to them.
 */
public final class IngestCounters {
    private final Counter samples;
    private final Counter duplicates;
    private final Counter unapplied;
    private final Counter rejected;
    private final Counter requests;

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
        for (String agent : agents) {
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

    void rejected(RejectReason reason) {
        rejected.labelValues(reason.label()).inc();
    }

    void authenticated(AgentIdentity identity) {
        requests.labelValues(identity.agent(), identity.tenant()).inc();
    }
}
