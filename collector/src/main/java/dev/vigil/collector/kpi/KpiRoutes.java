package dev.vigil.collector.kpi;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.api.UtcMonth;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.sla.PeriodRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/kpis}: incident KPIs per service over a month in UTC: {@code ?period=} {@code current}
 * (the default), {@code previous} or {@code YYYY-MM}; {@code &service=NAME} for one service (zero counts when
 * it had no outage that month). Answers 400 naming the parameter that is wrong, 503 while the journal is
 * replayed. Computed at each request from the incidents the collector keeps.
 */
public final class KpiRoutes {

    private final Supplier<List<Incident>> incidents;
    private final KpiConfig config;
    private final InstantSource clock;
    private final BooleanSupplier ready;

    /**
     * Routes over {@code incidents}.
     *
     * @param incidents every incident the collector keeps, e.g. {@code book::incidents}; called on the
     *                  event loop that serves the request
     * @param ready     whether the journal replay has finished
     */
    public KpiRoutes(Supplier<List<Incident>> incidents, KpiConfig config, InstantSource clock, BooleanSupplier ready) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/kpis").handler(this::kpis);
    }

    private void kpis(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return;
        }
        long now = clock.millis();
        String period = context.request().getParam("period");
        PeriodRange range;
        try {
            range = month(period == null ? "current" : period, now);
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        String service = context.request().getParam("service");
        if (service != null && service.isBlank()) {
            JsonError.send(context, 400, "service must name a service (was empty)");
            return;
        }
        List<ServiceKpis> kpis = service == null ? IncidentKpis.of(incidents.get(), range, config, now)
                : List.of(IncidentKpis.ofService(service, incidents.get(), range, config, now));
        JsonArray services = new JsonArray();
        kpis.forEach(k -> services.add(json(k)));
        JsonObject body = new JsonObject().put("period", range.label())
                .put("from", Instant.ofEpochMilli(range.startMillis()).toString())
                .put("to", Instant.ofEpochMilli(range.endMillis()).toString())
                .put("asOf", Instant.ofEpochMilli(now).toString())
                .put("services", services);
        context.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** The UTC month {@code label} names, not after the one holding {@code now}. */
    static PeriodRange month(String label, long now) {
        return KpiFigures.MONTHS.containing(UtcMonth.startMillis(UtcMonth.parse(label, now)));
    }

    /** One service's KPIs as JSON; absent figures are null. */
    static JsonObject json(ServiceKpis kpis) {
        JsonObject json = new JsonObject().put("service", kpis.service()).put("incidents", kpis.incidents())
                .put("open", kpis.open()).put("unacknowledged", kpis.unacknowledged());
        for (KpiTarget target : KpiTarget.values()) {
            KpiMeasure measure = kpis.of(target);
            json.put(target.label(), new JsonObject()
                    .put("targetSeconds", kpis.targets().of(target).toMillis() / 1000.0)
                    .put("count", measure.count())
                    .put("meanSeconds", value(measure.meanSeconds()))
                    .put("p50Seconds", value(measure.p50Seconds()))
                    .put("p90Seconds", value(measure.p90Seconds()))
                    .put("met", measure.met())
                    .put("missed", measure.missed())
                    .put("pending", measure.pending())
                    .put("metPercent", value(measure.metPercent())));
        }
        return json;
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
