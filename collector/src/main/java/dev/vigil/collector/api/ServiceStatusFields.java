package dev.vigil.collector.api;

import dev.vigil.collector.catalogue.CatalogueRoutes;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.EvidenceIndex;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.sla.ObjectiveResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Adds what the engine knows now to each service of {@code GET /api/v1/services}: its state with
 * each check's and location's, whether it flaps, its SLA's current period in brief, and for each
 * location the last failure the agent sent evidence of (its one-line summary; the whole of it is at
 * {@code /api/v1/evidence}). Left out while the journal is replayed, when the engine holds half the
 * history.
 */
public final class ServiceStatusFields implements CatalogueRoutes.ServiceFields {
    private final SlaEngine engine;
    private final EvidenceIndex evidence;
    private final BooleanSupplier ready;

    /**
     * Fields read from {@code engine} and {@code evidence}, on the event loop.
     *
     * @param ready whether the journal replay has finished
     */
    public ServiceStatusFields(SlaEngine engine, EvidenceIndex evidence, BooleanSupplier ready) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    @Override
    public void addTo(Service service, JsonObject json) {
        if (!ready.getAsBoolean()) {
            return;
        }
        engine.status(service.name()).ifPresent(status -> json.put("status", status(status)));
        engine.currentResult(service.name()).ifPresent(result -> json.put("attainment", new JsonObject()
                .put("period", result.label())
                .put("availability", result.availability().isPresent() ? result.availability().getAsDouble() : null)
                .put("met", result.objectives().stream().allMatch(ObjectiveResult::met))
                .put("outages", result.outagesStarted())));
    }

    private JsonObject status(ServiceStatus status) {
        JsonArray checks = new JsonArray();
        for (ServiceStatus.CheckState check : status.checks()) {
            JsonArray locations = new JsonArray();
            for (ServiceStatus.LocationState location : check.locations()) {
                JsonObject json = new JsonObject()
                        .put("agent", location.agent())
                        .put("state", label(location.state()))
                        .put("flapping", location.flapping());
                List<EvidenceEntry> kept = evidence.entries(new CheckKey(location.agent(), check.check()));
                if (!kept.isEmpty()) {
                    EvidenceEntry last = kept.get(kept.size() - 1);
                    json.put("last_failure", new JsonObject()
                            .put("at", Instant.ofEpochMilli(last.atEpochMillis()).toString())
                            .put("summary", EvidenceJson.summary(last)));
                }
                locations.add(json);
            }
            checks.add(new JsonObject()
                    .put("check", check.check())
                    .put("quorum", check.quorum())
                    .put("state", label(check.state()))
                    .put("locations", locations));
        }
        return new JsonObject()
                .put("state", label(status.state()))
                .put("flapping", status.flapping())
                .put("checks", checks);
    }

    private static String label(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
