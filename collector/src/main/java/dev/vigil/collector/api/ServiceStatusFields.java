package dev.vigil.collector.api;

import dev.vigil.collector.catalogue.CatalogueRoutes;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.ObjectiveResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Adds what the engine knows now to each service of {@code GET /api/v1/services}: its state with
 * each check's and location's, whether it flaps, and its SLA's current period in brief. Left out
 * while the journal is replayed, when the engine holds half the history.
 */
public final class ServiceStatusFields implements CatalogueRoutes.ServiceFields {
    private final SlaEngine engine;
    private final BooleanSupplier ready;

    /**
     * Fields read from {@code engine}.
     *
     * @param ready whether the journal replay has finished
     */
    public ServiceStatusFields(SlaEngine engine, BooleanSupplier ready) {
        this.engine = Objects.requireNonNull(engine, "engine");
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

    private static JsonObject status(ServiceStatus status) {
        JsonArray checks = new JsonArray();
        for (ServiceStatus.CheckState check : status.checks()) {
            JsonArray locations = new JsonArray();
            for (ServiceStatus.LocationState location : check.locations()) {
                locations.add(new JsonObject()
                        .put("agent", location.agent())
                        .put("state", label(location.state()))
                        .put("flapping", location.flapping()));
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
