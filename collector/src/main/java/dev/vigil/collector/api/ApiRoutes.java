package dev.vigil.collector.api;

import dev.vigil.collector.engine.CheckWindowFigures;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.engine.TrailingWindow;
import dev.vigil.collector.metrics.CollectorMetrics;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the collector's HTTP interface: {@code GET /api/v1/checks},
 * {@code GET /healthz} and {@code GET /metrics}, plus JSON answers for
 * unknown paths (404), wrong methods (405) and failures (500). Reads state on the event loop that
 * owns it.
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    private final CheckBoard board;
    private final SlaEngine engine;
    private final CollectorMetrics metrics;
    private final InstantSource clock;
    private final BooleanSupplier ready;

    /**
     * Routes over the collector's state.
     *
     * @param ready whether the journal replay has finished; until then the API and {@code /metrics} answer 503
     */
    public ApiRoutes(CheckBoard board, SlaEngine engine, CollectorMetrics metrics,
            InstantSource clock, BooleanSupplier ready) {
        this.board = Objects.requireNonNull(board, "board");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /** Adds the routes and the error handlers to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/checks").handler(this::checks);
        router.get("/healthz").handler(this::health);
        router.get("/metrics").handler(this::metrics);
        router.errorHandler(404, context -> JsonError.send(context, 404,
                "no such endpoint: " + context.request().method() + " " + context.request().path()));
        router.errorHandler(405, context -> JsonError.send(context, 405,
                "method " + context.request().method() + " not allowed on " + context.request().path()));
        router.errorHandler(500, context -> {
            LOG.error("Request {} {} failed", context.request().method(), context.request().path(), context.failure());
            JsonError.send(context, 500, "internal error");
        });
    }

    private void checks(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        JsonArray checks = new JsonArray();
        for (CheckStatus status : board.checks()) {
            List<CheckWindowFigures> figures = new ArrayList<>();
            for (TrailingWindow window : TrailingWindow.values()) {
                engine.checkFigures(status.key(), window).ifPresent(figures::add);
            }
            checks.add(CheckJson.of(status, engine.checkState(status.key()), figures));
        }
        json(context, 200, new JsonObject().put("checks", checks));
    }

    private void health(RoutingContext context) {
        boolean up = ready.getAsBoolean();
        json(context, up ? 200 : 503, new JsonObject().put("status", up ? "ok" : "starting"));
    }

    private void metrics(RoutingContext context) {
        // A half-replayed journal would show check states, SLA figures and incident counts that jump
        // as the replay goes on; a scrape failing for a moment is the honest answer.
        if (starting(context)) {
            return;
        }
        context.response()
                .putHeader("Content-Type", CollectorMetrics.CONTENT_TYPE)
                .end(Buffer.buffer(metrics.scrape()));
    }

    private boolean starting(RoutingContext context) {
        if (ready.getAsBoolean()) {
            return false;
        }
        context.response().putHeader("Retry-After", "1");
        JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
        return true;
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
