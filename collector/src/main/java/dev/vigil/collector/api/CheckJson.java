package dev.vigil.collector.api;

import dev.vigil.collector.sla.LatencyPercentiles;
import dev.vigil.collector.sla.Window;
import dev.vigil.collector.sla.WindowFigures;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.protocol.Sample;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A check and its SLA figures as the API shows them. */
final class CheckJson {
    private CheckJson() {
    }

    static JsonObject of(CheckStatus status, Map<Window, WindowFigures> figures) {
        Sample last = status.lastSample();
        JsonObject windows = new JsonObject();
        for (Window window : Window.values()) {
            WindowFigures f = figures.get(window);
            windows.put(window.label(), f == null ? null : window(f));
        }
        return new JsonObject()
                .put("id", status.key().id())
                .put("agent", status.key().agent())
                .put("check", status.key().check())
                .put("state", status.state().name().toLowerCase(Locale.ROOT))
                .put("since", status.sinceEpochMillis().map(ms -> Instant.ofEpochMilli(ms).toString()).orElse(null))
                .put("lastOutcome", last.outcome().name())
                .put("lastDetail", last.detail())
                .put("lastSampleAt", Instant.ofEpochMilli(last.scheduledEpochMillis()).toString())
                .put("samples", status.samples())
                .put("windows", windows);
    }

    private static JsonObject window(WindowFigures f) {
        Optional<LatencyPercentiles> latency = f.latency();
        return new JsonObject()
                .put("availability", f.availability().isPresent() ? f.availability().getAsDouble() : null)
                .put("observedSeconds", f.observedMillis() / 1000.0)
                .put("downtimeSeconds", f.downtimeMillis() / 1000.0)
                .put("outages", f.outages())
                .put("mttrSeconds", f.mttrMillis().isPresent() ? f.mttrMillis().getAsDouble() / 1000.0 : null)
                .put("samples", f.samples())
                .put("p50Ms", latency.map(l -> l.p50Micros() / 1000.0).orElse(null))
                .put("p95Ms", latency.map(l -> l.p95Micros() / 1000.0).orElse(null))
                .put("p99Ms", latency.map(l -> l.p99Micros() / 1000.0).orElse(null));
    }
}
