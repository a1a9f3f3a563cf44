package dev.vigil.collector.change;

import dev.vigil.collector.api.BearerGuard;
import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.api.UtcMonth;
import dev.vigil.collector.catalogue.CatalogueStore;
import dev.vigil.collector.catalogue.MaintenanceEntry;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.MaintenanceWindow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The change API: {@code POST /api/v1/changes} (admin token) records a change, {@code GET /api/v1/changes}
 * lists them ({@code service}, {@code from}, {@code to}), {@code GET /api/v1/changes/{id}} shows one,
 * {@code POST /api/v1/changes/pagerduty} (admin token) takes a PagerDuty change event,
 * {@code GET /api/v1/changes/induced?period=current|previous|YYYY-MM} lists the month's outage incidents with their possible
 * causes, and {@code GET /api/v1/annotations} answers changes as Grafana annotations (JSON API and Infinity
 * datasources).
 *
 * <p>An approved change with an end, posted with {@code "as_maintenance": true}, is also declared as a one-off
 * maintenance window of its service in the catalogue, under the change's id, created by its author for its
 * summary.
 *
 * <p>While the collector replays its journal after a start, the routes that record a change and the induced
 * report answer 503 with {@code Retry-After}: recording may declare maintenance, which the SLA engine would take
 * in half-way through its replay, and the induced report reads incidents that are not all rebuilt yet. The
 * listing, one change and the annotations read only the change file, which is complete from the start.
 */
public final class ChangeRoutes {
    /** The largest body accepted by the POST routes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ChangeStore store;
    private final ChangeConfig config;
    private final CatalogueStore catalogue;
    private final Supplier<List<Incident>> incidents;
    private final InstantSource clock;
    private final BearerGuard admin;
    private final BooleanSupplier ready;

    /**
     * Routes over {@code store}.
     *
     * @param catalogue  the catalogue, which names the services changes may be on and takes the maintenance
     *                   windows changes declare
     * @param incidents  the current incidents, newest first
     * @param adminToken the digest of the admin token, which recording a change needs; none closes it
     * @param ready      whether the journal replay has finished; until then recording and the induced report
     *                   answer 503
     */
    public ChangeRoutes(ChangeStore store, ChangeConfig config, CatalogueStore catalogue,
            Supplier<List<Incident>> incidents, InstantSource clock, Optional<TokenDigest> adminToken,
            BooleanSupplier ready) {
        this.ready = Objects.requireNonNull(ready, "ready");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.admin = new BearerGuard(adminToken, "recording changes through the API is disabled: set "
                + "api.admin_token and restart the collector", "the admin token");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.get("/api/v1/changes").handler(this::list);
        router.get("/api/v1/changes/induced").handler(this::replayed).handler(this::induced);
        router.get("/api/v1/changes/:id").handler(this::one);
        // The body is read only once the request is authorized (see IncidentRoutes).
        // Refused before the body is read: nothing of a refused change is taken in, so a retry records it once.
        router.post("/api/v1/changes").handler(admin).handler(this::replayed).handler(body::handle)
                .handler(this::post);
        router.post("/api/v1/changes/pagerduty").handler(admin).handler(this::replayed).handler(body::handle)
                .handler(this::pagerDuty);
        router.get("/api/v1/annotations").handler(this::annotations);
    }

    /** Passes the request on once the journal is replayed; answers 503 with Retry-After before. */
    private void replayed(RoutingContext context) {
        if (ready.getAsBoolean()) {
            context.next();
            return;
        }
        context.response().putHeader("Retry-After", "1");
        JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
    }

    private void post(RoutingContext context) {
        Optional<JsonObject> json = object(context);
        if (json.isEmpty()) {
            return;
        }
        Change draft;
        boolean asMaintenance;
        try {
            draft = fromApi(json.get());
            asMaintenance = asMaintenance(json.get(), draft);
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        record(context, draft, asMaintenance);
    }

    private void pagerDuty(RoutingContext context) {
        Optional<JsonObject> json = object(context);
        if (json.isEmpty()) {
            return;
        }
        Change draft;
        try {
            draft = fromPagerDuty(json.get());
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        record(context, draft, false);
    }

    private static boolean asMaintenance(JsonObject json, Change draft) {
        Object value = json.getValue("as_maintenance");
        if (value != null && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("as_maintenance must be true or false (was " + value + ")");
        }
        if (!Boolean.TRUE.equals(value)) {
            return false;
        }
        if (!draft.approved()) {
            throw new IllegalArgumentException("as_maintenance needs an approved change (approved: true)");
        }
        if (draft.endEpochMillis().isEmpty()) {
            throw new IllegalArgumentException("as_maintenance needs an end: a maintenance window cannot be "
                    + "open-ended");
        }
        return true;
    }

    private void record(RoutingContext context, Change draft, boolean asMaintenance) {
        // The store writes its file (fsync included): off the event loop, in order.
        context.vertx().executeBlocking(() -> store.add(draft)).onComplete(done -> {
            if (done.failed()) {
                JsonError.send(context, 500, "the change was not recorded: " + done.cause().getMessage());
                return;
            }
            ChangeStore.Recorded recorded = done.result();
            if (recorded.created()) {
                context.response().putHeader("Location", "/api/v1/changes/" + recorded.change().id());
            }
            int status = recorded.created() ? 201 : 200;
            if (!recorded.created() || !asMaintenance) {
                json(context, status, recorded.change().toJson());
                return;
            }
            // The change stays recorded when the catalogue refuses the window; the answer says why.
            declareMaintenance(recorded.change()).onComplete(declared -> json(context, status,
                    recorded.change().toJson().put("maintenance", declared.succeeded() ? recorded.change().id() : null)
                            .put("maintenance_error", declared.failed() ? declared.cause().getMessage() : null)));
        });
    }

    private Future<CatalogueStore.Saved> declareMaintenance(Change change) {
        try {
            MaintenanceWindow window = new MaintenanceWindow(change.id(), Set.of(change.service()),
                    new MaintenanceSchedule.OneOff(Instant.ofEpochMilli(change.startEpochMillis()),
                            Instant.ofEpochMilli(change.endEpochMillis().orElseThrow())),
                    change.by(), change.summary(), Instant.ofEpochMilli(clock.millis()));
            return catalogue.addMaintenance(MaintenanceEntry.of(window));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    private Change fromApi(JsonObject json) {
        String service = service(requiredText(json, "service"));
        String summary = requiredText(json, "summary");
        String by = requiredText(json, "by");
        long start = time(json.getValue("start"), "start")
                .orElseThrow(() -> new IllegalArgumentException("start is required"));
        OptionalLong end = time(json.getValue("end"), "end");
        ChangeRisk risk = ChangeRisk.parse(requiredText(json, "risk"), "risk");
        String rollback = optionalText(json, "rollback_plan").orElse("");
        Optional<String> external = optionalText(json, "external_id");
        Object approved = json.getValue("approved");
        if (approved != null && !(approved instanceof Boolean)) {
            throw new IllegalArgumentException("approved must be true or false (was " + approved + ")");
        }
        List<String> links = links(json.getValue("links"), "links");
        return new Change("chg-1", service, summary, by, start, end, risk, rollback, external,
                Boolean.TRUE.equals(approved), "api", links, clock.millis());
    }

    /**
     * A PagerDuty change event ({@code routing_key}, {@code payload.summary}, {@code payload.timestamp},
     * {@code payload.source}, {@code payload.custom_details}, {@code links}). The service is
     * {@code custom_details.service}, else {@code source}; {@code custom_details} may also carry {@code by},
     * {@code risk} (default low), {@code rollback_plan}, {@code external_id} and {@code approved}.
     */
    private Change fromPagerDuty(JsonObject json) {
        if (!(json.getValue("payload") instanceof JsonObject payload)) {
            throw new IllegalArgumentException("payload must be an object");
        }
        Object detailsValue = payload.getValue("custom_details");
        if (detailsValue != null && !(detailsValue instanceof JsonObject)) {
            throw new IllegalArgumentException("payload.custom_details must be an object");
        }
        JsonObject details = detailsValue == null ? new JsonObject() : (JsonObject) detailsValue;
        Optional<String> named = optionalText(details, "payload.custom_details", "service");
        String service = service(named.isPresent() ? named.get() : optionalText(payload, "payload", "source")
                .orElseThrow(() -> new IllegalArgumentException(
                        "payload.source or payload.custom_details.service is required")));
        String summary = optionalText(payload, "payload", "summary")
                .orElseThrow(() -> new IllegalArgumentException("payload.summary is required"));
        long start = time(payload.getValue("timestamp"), "payload.timestamp").orElse(clock.millis());
        String by = optionalText(details, "payload.custom_details", "by").orElse("pagerduty");
        ChangeRisk risk = ChangeRisk.parse(optionalText(details, "payload.custom_details", "risk").orElse("low"),
                "payload.custom_details.risk");
        String rollback = optionalText(details, "payload.custom_details", "rollback_plan").orElse("");
        Optional<String> external = optionalText(details, "payload.custom_details", "external_id");
        boolean approved = Boolean.TRUE.equals(details.getValue("approved"));
        List<String> links = new ArrayList<>();
        Object linkValue = json.getValue("links");
        if (linkValue != null) {
            if (!(linkValue instanceof JsonArray array)) {
                throw new IllegalArgumentException("links must be an array of {href, text}");
            }
            for (int i = 0; i < array.size(); i++) {
                if (!(array.getValue(i) instanceof JsonObject link) || !(link.getValue("href") instanceof String h)) {
                    throw new IllegalArgumentException("links[" + i + "].href must be a URL");
                }
                links.add(h);
            }
        }
        return new Change("chg-1", service, summary, by, start, OptionalLong.empty(), risk, rollback, external,
                approved, "pagerduty", links, clock.millis());
    }

    private String service(String name) {
        if (catalogue.current().service(name).isEmpty()) {
            throw new IllegalArgumentException("service must be a catalogue service (was '" + name + "')");
        }
        return name;
    }

    private void list(RoutingContext context) {
        Optional<String> service = param(context, "service");
        OptionalLong from;
        OptionalLong to;
        try {
            from = time(param(context, "from").orElse(null), "from");
            to = time(param(context, "to").orElse(null), "to");
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        JsonArray list = new JsonArray();
        store.list(service, from.orElse(Long.MIN_VALUE), to.orElse(Long.MAX_VALUE))
                .forEach(c -> list.add(c.toJson()));
        json(context, 200, new JsonObject().put("changes", list));
    }

    private void one(RoutingContext context) {
        String id = context.pathParam("id");
        Optional<Change> change = store.change(id);
        if (change.isEmpty()) {
            JsonError.send(context, 404, "no change '" + id + "'");
            return;
        }
        json(context, 200, change.get().toJson());
    }

    private void induced(RoutingContext context) {
        YearMonth month;
        try {
            month = UtcMonth.parse(param(context, "period").orElse("current"), clock.millis());
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        json(context, 200, InducedReport.of(month, store, incidents.get(), config.inducedWindow(),
                catalogue.current()));
    }

    private void annotations(RoutingContext context) {
        long from;
        long to;
        try {
            from = millis(context, "from");
            to = millis(context, "to");
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        if (to < from) {
            JsonError.send(context, 400, "to must not be before from (was " + to + " < " + from + ")");
            return;
        }
        long now = clock.millis();
        JsonArray answer = new JsonArray();
        for (Change change : store.list(param(context, "service"), from, to)) {
            long end = change.endEpochMillis().orElse(Math.max(change.startEpochMillis(), Math.min(now, to)));
            String text = change.summary() + " (by " + change.by() + ", risk " + change.risk().label()
                    + (change.approved() ? ", approved" : ", not approved") + ")"
                    + (change.rollbackPlan().isEmpty() ? "" : "\nRollback: " + change.rollbackPlan());
            answer.add(new JsonObject()
                    .put("time", change.startEpochMillis())
                    .put("timeEnd", end)
                    .put("title", change.service() + ": " + change.summary())
                    .put("text", text)
                    .put("tags", new JsonArray().add("change").add(change.service()).add(change.risk().label())));
        }
        context.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(answer.encode());
    }

    private static long millis(RoutingContext context, String name) {
        String text = param(context, name)
                .orElseThrow(() -> new IllegalArgumentException(name + " is required (epoch milliseconds)"));
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be epoch milliseconds (was '" + text + "')");
        }
    }

    private static Optional<JsonObject> object(RoutingContext context) {
        Buffer body = context.body().buffer();
        try {
            Object value = body == null || body.length() == 0 ? null : body.toJsonValue();
            if (value instanceof JsonObject object) {
                return Optional.of(object);
            }
            JsonError.send(context, 400, "the body must be a JSON object");
        } catch (DecodeException e) {
            JsonError.send(context, 400, "the body is not JSON: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static String requiredText(JsonObject json, String field) {
        return optionalText(json, "", field).orElseThrow(() -> new IllegalArgumentException(field + " is required"));
    }

    private static Optional<String> optionalText(JsonObject json, String field) {
        return optionalText(json, "", field);
    }

    private static Optional<String> optionalText(JsonObject json, String where, String field) {
        Object value = json.getValue(field);
        String name = where.isEmpty() ? field : where + "." + field;
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(name + " must be a string (was " + value + ")");
        }
        return Optional.of(text.strip()).filter(s -> !s.isEmpty());
    }

    private static List<String> links(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException(field + " must be an array of URLs");
        }
        List<String> links = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof String link)) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a URL string");
            }
            links.add(link);
        }
        return links;
    }

    /** An RFC 3339 time, when given. */
    private static OptionalLong time(Object value, String field) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String text = String.valueOf(value);
        if (value instanceof String s) {
            try {
                return OptionalLong.of(OffsetDateTime.parse(s).toInstant().toEpochMilli());
            } catch (DateTimeParseException e) {
                // Not RFC 3339: falls through to the message that names the field.
            }
        }
        throw new IllegalArgumentException(field + " must be RFC 3339 (was '" + text + "')");
    }

    private static Optional<String> param(RoutingContext context, String name) {
        return Optional.ofNullable(context.queryParams().get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
