package dev.vigil.collector.api;

import dev.vigil.collector.engine.CheckWindowFigures;
import dev.vigil.collector.sla.TimelineState;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.protocol.Sample;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** A check location and its trailing-window figures as the API shows them. */
final class CheckJson {
    private CheckJson() {
    }

    static JsonObject of(CheckStatus status, TimelineState current, List<CheckWindowFigures> figures) {
        Sample last = status.lastSample();
        JsonObject windows = new JsonObject();
        for (CheckWindowFigures f : figures) {
            windows.put(f.window().label(), window(f));
        }
        return new JsonObject()
                .put("id", status.key().id())
                .put("agent", status.key().agent())
                .put("check", status.key().check())
                .put("state", status.state().name().toLowerCase(Locale.ROOT))
                // The state including silence: "no_data" once the agent has been quiet too long.
                .put("currentState", current.name().toLowerCase(Locale.ROOT))
                .put("since", status.sinceEpochMillis().map(ms -> Instant.ofEpochMilli(ms).toString()).orElse(null))
                .put("lastOutcome", last.outcome().name())
                .put("lastDetail", last.detail())
                .put("lastSampleAt", Instant.ofEpochMilli(last.scheduledEpochMillis()).toString())
                .put("samples", status.samples())
                .put("windows", windows);
    }

    private static JsonObject window(CheckWindowFigures f) {
        return new JsonObject()
                .put("availability", value(f.availability()))
                .put("observedSeconds", f.observedMillis() / 1000.0)
                .put("downtimeSeconds", f.downtimeMillis() / 1000.0)
                .put("noDataSeconds", f.noDataMillis() / 1000.0)
                .put("outages", f.outages())
                .put("mttrSeconds", f.mttrMillis().isPresent() ? f.mttrMillis().getAsDouble() / 1000.0 : null)
                .put("samples", f.samples())
                .put("p50Ms", millis(f.p50Micros()))
                .put("p95Ms", millis(f.p95Micros()))
                .put("p99Ms", millis(f.p99Micros()));
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static Double millis(OptionalLong micros) {
        return micros.isPresent() ? micros.getAsLong() / 1000.0 : null;
    }
}
