package dev.vigil.collector.problem;

import dev.vigil.collector.api.BearerGuard;
import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.api.UtcMonth;
import dev.vigil.collector.config.TokenDigest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The problems API: {@code GET /api/v1/problems?status=open|closed&service=}, {@code GET
 * /api/v1/problems/{id}}, {@code POST /api/v1/problems/{id}/close} (admin token) and {@code GET
 * /api/v1/problems/repeat-rate?period=current|previous|YYYY-MM}.
 */
public final class ProblemRoutes {
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int MAX_FIELD_CHARS = 2000;

    private final ProblemBook book;
    private final Optional<TokenDigest> adminToken;

    /**
     * Routes over {@code book}.
     *
     * @param adminToken the digest of the token that allows closing problems; none makes the API read-only
     */
    public ProblemRoutes(ProblemBook book, Optional<TokenDigest> adminToken) {
        this.book = Objects.requireNonNull(book, "book");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        BearerGuard admin = new BearerGuard(adminToken, "closing problems through the API is disabled: set "
                + "api.admin_token (or api.admin_token_sha256) and restart the collector", "the admin token");
        router.get("/api/v1/problems").handler(this::list);
        // Before the id route, which would take "repeat-rate" for an id.
        router.get("/api/v1/problems/repeat-rate").handler(this::repeatRate);
        router.get("/api/v1/problems/:id").handler(this::one);
        // Vert.x Web refuses a BodyHandler after a user handler on one route; called from one, the body is read
        // only once the request is authorized.
        router.post("/api/v1/problems/:id/close").handler(admin).handler(body::handle).handler(this::close);
    }

    private void list(RoutingContext context) {
        Optional<String> status = query(context, "status");
        if (status.isPresent() && !status.get().equals("open") && !status.get().equals("closed")) {
            JsonError.send(context, 400, "status must be open or closed (was '" + status.get() + "')");
            return;
        }
        Optional<String> service = query(context, "service");
        JsonArray problems = new JsonArray();
        for (Problem problem : book.problems()) {
            if (status.map(s -> s.equals(problem.status())).orElse(true)
                    && service.map(s -> problem.service().equals(Optional.of(s))).orElse(true)) {
                problems.add(problem.toJson());
            }
        }
        json(context, 200, new JsonObject().put("problems", problems));
    }

    private void one(RoutingContext context) {
        key(context).ifPresent(key -> book.problem(key).ifPresentOrElse(problem -> json(context, 200,
                problem.toJson()), () -> JsonError.send(context, 404, "no problem " + key)));
    }

    private void close(RoutingContext context) {
        Optional<String> key = key(context);
        if (key.isEmpty()) {
            return;
        }
        Buffer body = context.body().buffer();
        JsonObject request;
        try {
            Object value = body == null || body.length() == 0 ? null : body.toJsonValue();
            if (!(value instanceof JsonObject object)) {
                JsonError.send(context, 400, "the body must be a JSON object with root_cause and by");
                return;
            }
            request = object;
        } catch (DecodeException e) {
            JsonError.send(context, 400, "the body is not JSON: " + e.getMessage());
            return;
        }
        Optional<String> rootCause = field(context, request, "root_cause", true);
        if (rootCause.isEmpty()) {
            return;
        }
        Optional<String> by = field(context, request, "by", false);
        if (by.isEmpty()) {
            return;
        }
        switch (book.close(key.get(), rootCause.get(), by.get())) {
            case CLOSED -> json(context, 200, book.problem(key.get()).orElseThrow().toJson());
            case NOT_FOUND -> JsonError.send(context, 404, "no problem " + key.get());
            case ALREADY_CLOSED -> JsonError.send(context, 409, "problem " + key.get() + " is already closed");
        }
    }

    /** The string field {@code name}, stripped; empty after answering 400. An absent optional one is "". */
    private static Optional<String> field(RoutingContext context, JsonObject request, String name, boolean required) {
        Object value = request.getValue(name);
        if (value == null && !required) {
            return Optional.of("");
        }
        if (!(value instanceof String text) || text.isBlank() && required) {
            JsonError.send(context, 400, name + (required ? " is required: a non-blank string" : " must be a string")
                    + (value == null ? "" : " (was " + (value instanceof String ? "'" + value + "'" : value) + ")"));
            return Optional.empty();
        }
        if (text.strip().length() > MAX_FIELD_CHARS) {
            JsonError.send(context, 400, name + " must be at most " + MAX_FIELD_CHARS + " characters");
            return Optional.empty();
        }
        return Optional.of(text.strip());
    }

    private void repeatRate(RoutingContext context) {
        YearMonth month;
        try {
            month = UtcMonth.parse(query(context, "period").orElse("current"), book.clockMillis());
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        long from = UtcMonth.startMillis(month);
        long to = UtcMonth.startMillis(month.plusMonths(1));
        Map<String, ProblemDetector.RepeatRate> rates = book.repeatRates(from, to);
        JsonArray subjects = new JsonArray();
        int incidents = 0;
        int repeats = 0;
        for (Map.Entry<String, ProblemDetector.RepeatRate> rate : rates.entrySet()) {
            incidents += rate.getValue().incidents();
            repeats += rate.getValue().repeats();
            subjects.add(new JsonObject().put("subject", rate.getKey())
                    .put("incidents", rate.getValue().incidents()).put("repeat_incidents", rate.getValue().repeats())
                    .put("repeat_rate_ratio", rate.getValue().ratio()));
        }
        json(context, 200, new JsonObject().put("period", month.toString()).put("incidents", incidents)
                .put("repeat_incidents", repeats)
                .put("repeat_rate_ratio", incidents == 0 ? null : (double) repeats / incidents)
                .put("subjects", subjects));
    }

    private static Optional<String> key(RoutingContext context) {
        String id = context.pathParam("id");
        try {
            return Optional.of(URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, "the problem id is not valid percent-encoding: " + id);
            return Optional.empty();
        }
    }

    private static Optional<String> query(RoutingContext context, String name) {
        List<String> values = context.queryParams().getAll(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).strip()).filter(s -> !s.isEmpty());
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
