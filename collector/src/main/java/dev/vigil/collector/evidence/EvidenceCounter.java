package dev.vigil.collector.evidence;

import dev.vigil.collector.state.CheckListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The counter {@code vigil_evidence_received_total{agent}}: applied samples that carried failure
 * evidence, as received by this process (a replay does not add to it).
 */
public final class EvidenceCounter {
    private final Counter received;

    /** Registers the counter in {@code registry}, at zero for every configured agent. */
    public EvidenceCounter(PrometheusRegistry registry, List<String> agents) {
        received = Counter.builder().name("vigil_evidence_received_total")
                .help("Samples applied live that carried failure evidence (status line, headers, body start, "
                        + "DNS answers, TLS chain, error), by agent")
                .labelNames("agent").register(registry);
        agents.forEach(agent -> received.labelValues(agent));
    }

    /** A listener counting the samples with evidence the board applies while {@code live} says so. */
    public CheckListener listener(BooleanSupplier live) {
        Objects.requireNonNull(live, "live");
        return applied -> {
            if (live.getAsBoolean() && applied.sample().evidence().isPresent()) {
                received.labelValues(applied.key().agent()).inc();
            }
        };
    }
}
