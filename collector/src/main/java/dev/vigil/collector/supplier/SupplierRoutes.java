package dev.vigil.collector.supplier;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.api.UtcMonth;
import dev.vigil.collector.catalogue.ServiceSupplier;
import dev.vigil.collector.engine.SlaEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/suppliers} and {@code GET /api/v1/suppliers/{name}}: each supplier's availability
 * against its target and the provider downtime attributed to it, over a month: {@code ?period=}
 * {@code current} (the default), {@code previous} or {@code YYYY-MM} (UTC). The list also holds each
 * provider service's split and the provider's totals. Answers 400 naming the parameter that is wrong, 404
 * for an undeclared supplier, 503 while the journal is replayed. Computed at each request.
 */
public final class SupplierRoutes {

    private final SlaEngine engine;
    private final BooleanSupplier ready;

    /**
     * Routes over {@code engine}.
     *
     * @param ready whether the journal replay has finished
     */
    public SupplierRoutes(SlaEngine engine, BooleanSupplier ready) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/suppliers").handler(this::suppliers);
        router.get("/api/v1/suppliers/:name").handler(this::supplier);
    }

    private void suppliers(RoutingContext context) {
        month(context).ifPresent(month -> {
            JsonArray suppliers = new JsonArray();
            month.suppliers().forEach(standing -> suppliers.add(json(standing)));
            JsonArray services = new JsonArray();
            for (ServiceShare share : month.services()) {
                services.add(new JsonObject().put("service", share.service()).put("sla", share.sla())
                        .put("from", Instant.ofEpochMilli(share.month().startMillis()).toString())
                        .put("to", Instant.ofEpochMilli(share.month().endMillis()).toString())
                        .put("downtimeMillis", share.downtimeMillis())
                        .put("attributedMillis", millis(share.attributed())));
            }
            JsonObject provider = new JsonObject().put("downtimeMillis", month.downtimeMillis())
                    .put("attributedMillis", millis(month.attributed()));
            send(context, header(month).put("suppliers", suppliers).put("services", services)
                    .put("provider", provider));
        });
    }

    private void supplier(RoutingContext context) {
        String name = context.pathParam("name");
        if (engine.catalogue().supplier(name).isEmpty()) {
            JsonError.send(context, 404, "no supplier " + name + " (declared: "
                    + (engine.catalogue().suppliers().isEmpty() ? "none"
                            : String.join(", ", engine.catalogue().suppliers().keySet())) + ")");
            return;
        }
        month(context).ifPresent(month -> send(context,
                header(month).put("supplier", json(month.supplier(name).orElseThrow()))));
    }

    /** The month the request asks for, computed; empty when an error was answered. */
    private Optional<SupplierMonth> month(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return Optional.empty();
        }
        String period = context.request().getParam("period");
        YearMonth month;
        try {
            month = UtcMonth.parse(period == null ? "current" : period, engine.clockMillis());
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(SupplierAttribution.of(engine, month));
    }

    /** A supplier's standing as JSON; absent figures are null. */
    static JsonObject json(SupplierStanding standing) {
        ServiceSupplier supplier = standing.supplier();
        return new JsonObject()
                .put("name", supplier.name())
                .put("kind", supplier.kind())
                .put("contact", supplier.contact().orElse(null))
                .put("measured_by", new JsonArray(supplier.measuredBy()))
                .put("target", supplier.availabilityTarget().isPresent()
                        ? supplier.availabilityTarget().getAsDouble() : null)
                .put("availability", standing.availability().isPresent()
                        ? standing.availability().getAsDouble() : null)
                .put("met", standing.met().orElse(null))
                .put("measuredMillis", standing.measuredMillis())
                .put("downtimeMillis", standing.downtimeMillis())
                .put("outages", standing.outages())
                .put("attributedMillis", standing.attributedMillis())
                .put("services", millis(standing.attributed()));
    }

    private static JsonObject header(SupplierMonth month) {
        return new JsonObject().put("period", month.month().label())
                .put("from", Instant.ofEpochMilli(month.month().startMillis()).toString())
                .put("to", Instant.ofEpochMilli(month.month().endMillis()).toString())
                .put("asOf", Instant.ofEpochMilli(month.asOfMillis()).toString());
    }

    private static JsonObject millis(Map<String, Long> parts) {
        JsonObject json = new JsonObject();
        parts.forEach(json::put);
        return json;
    }

    private static void send(RoutingContext context, JsonObject body) {
        context.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
