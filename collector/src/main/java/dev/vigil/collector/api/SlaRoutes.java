package dev.vigil.collector.api;

import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/sla}: every service's SLA over its current period, or one service's in full:
 * {@code ?service=NAME} for the current period, {@code &period=LABEL} ({@code 2026-11}, {@code 2026-W48},
 * {@code 2026-Q4}, or {@code current}/{@code previous}) for another period within the 13 months of
 * history, or {@code &from=…&to=…} (ISO-8601 instants, or dates meaning local midnight in the SLA
 * calendar's zone) for any range. Answers 400 naming the parameter that is wrong, 404 for an unknown
 * service or one without an SLA, 503 while the journal is replayed.
 */
public final class SlaRoutes {
    /** How many periods back a label is looked for: 13 months of weeks, and some. */
    private static final int MAX_PERIODS_BACK = 60;

    private final SlaEngine engine;
    private final InstantSource clock;
    private final BooleanSupplier ready;

    /**
     * Routes over {@code engine}.
     *
     * @param ready whether the journal replay has finished
     */
    public SlaRoutes(SlaEngine engine, InstantSource clock, BooleanSupplier ready) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/sla").handler(this::sla);
    }

    private void sla(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return;
        }
        String service = context.request().getParam("service");
        if (service == null) {
            JsonArray services = new JsonArray();
            for (String name : engine.serviceNames()) {
                engine.currentResult(name).ifPresent(result ->
                        services.add(SlaJson.summary(result, engine.status(name).orElseThrow())));
            }
            send(context, new JsonObject().put("services", services));
            return;
        }
        if (engine.status(service).isEmpty()) {
            JsonError.send(context, 404, "no service named '" + service + "'");
            return;
        }
        Optional<SlaDefinition> sla = engine.slaOf(service);
        if (sla.isEmpty()) {
            JsonError.send(context, 404, "service '" + service + "' has no SLA");
            return;
        }
        String period = context.request().getParam("period");
        String from = context.request().getParam("from");
        String to = context.request().getParam("to");
        Optional<SlaResult> result;
        if (from != null || to != null) {
            if (period != null) {
                JsonError.send(context, 400, "give either period or from and to, not both");
                return;
            }
            if (from == null || to == null) {
                JsonError.send(context, 400, "from and to go together (missing " + (from == null ? "from" : "to")
                        + ")");
                return;
            }
            ZoneId zone = engine.catalogue().calendarOf(sla.get()).zone();
            long fromMillis;
            long toMillis;
            try {
                fromMillis = instant("from", from, zone);
                toMillis = instant("to", to, zone);
            } catch (IllegalArgumentException e) {
                JsonError.send(context, 400, e.getMessage());
                return;
            }
            if (toMillis <= fromMillis) {
                JsonError.send(context, 400, "to must be after from (were " + from + " and " + to + ")");
                return;
            }
            result = engine.result(service, fromMillis, toMillis);
        } else {
            Optional<PeriodRange> range = sla.get().period().labelled(period == null ? "current" : period,
                    clock.millis(), MAX_PERIODS_BACK);
            if (range.isEmpty()) {
                JsonError.send(context, 400, "period must be current, previous or a period label of this SLA "
                        + "within the last 13 months, like " + sla.get().period().containing(clock.millis()).label()
                        + " (was '" + period + "')");
                return;
            }
            result = engine.result(service, range.get());
        }
        send(context, SlaJson.of(result.orElseThrow(), engine.burnRates(service)));
    }

    private static long instant(String name, String text, ZoneId zone) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant().toEpochMilli();
            }
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z or a "
                    + "date like 2026-11-01 (was '" + text + "')");
        }
    }

    private static void send(RoutingContext context, JsonObject body) {
        context.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
