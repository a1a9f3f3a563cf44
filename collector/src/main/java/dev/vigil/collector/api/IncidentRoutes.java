package dev.vigil.collector.api;

import dev.vigil.collector.config.Secret;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.evidence.EvidenceIndex;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.delivery.DeliveryStatus;
import dev.vigil.collector.incident.delivery.Outbox;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The incident API: {@code GET /api/v1/incidents} (filters {@code status}, {@code service}, {@code kind},
 * {@code limit}), {@code GET /api/v1/incidents/{id}} with each sink's delivery state and the failure
 * evidence of its check locations ({@link EvidenceIndex#forIncident}),
 * {@code POST /api/v1/incidents/{id}/acknowledge} (admin token), {@code GET /api/v1/sinks} with each
 * sink's backlog and dead letters, and {@code POST /api/v1/alerts/alertmanager}, which takes Alertmanager's
 * webhook payload so Prometheus alerts become incidents (its own bearer token).
 */
public final class IncidentRoutes {
    /** The largest body accepted by the POST routes. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int DEFAULT_LIMIT = 500;

    private final IncidentBook incidents;
    private final Outbox outbox;
    private final InstantSource clock;
    private final BooleanSupplier ready;
    private final BearerGuard admin;
    private final BearerGuard alertmanager;
    private final EvidenceIndex evidence;

    /**
     * Routes over {@code incidents} and {@code outbox}.
     *
     * @param adminToken        the digest of the admin token, for acknowledgements
     * @param alertmanagerToken the token Alertmanager sends; none keeps the inbound endpoint closed
     * @param ready             whether the replay has finished; until then reads answer 503
     */
    public IncidentRoutes(IncidentBook incidents, Outbox outbox, InstantSource clock, BooleanSupplier ready,
            Optional<TokenDigest> adminToken, Optional<Secret> alertmanagerToken) {
        this(incidents, outbox, clock, ready, adminToken, alertmanagerToken,
                new EvidenceIndex());
    }

    /**
     * Routes over {@code incidents} and {@code outbox}; an incident read one by one shows the failure
     * evidence {@code evidence} keeps for its check locations.
     *
     * @param adminToken        the digest of the admin token, for acknowledgements
     * @param alertmanagerToken the token Alertmanager sends; none keeps the inbound endpoint closed
     * @param ready             whether the replay has finished; until then reads answer 503
     */
    public IncidentRoutes(IncidentBook incidents, Outbox outbox, InstantSource clock, BooleanSupplier ready,
            Optional<TokenDigest> adminToken, Optional<Secret> alertmanagerToken, EvidenceIndex evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.admin = new BearerGuard(adminToken, "acknowledging through the API is disabled: set api.admin_token "
                + "and restart the collector", "the admin token");
        this.alertmanager = new BearerGuard(alertmanagerToken.map(secret -> TokenDigest.of(secret.reveal())),
                "the Alertmanager endpoint is closed: set incidents.alertmanager_token and restart the collector",
                "incidents.alertmanager_token");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.get("/api/v1/incidents").handler(this::list);
        router.get("/api/v1/incidents/:id").handler(this::one);
        // Vert.x Web refuses a BodyHandler after a user handler on one route; called from one, the body is read
        // only once the request is authorized.
        router.post("/api/v1/incidents/:id/acknowledge").handler(admin).handler(body::handle)
                .handler(this::acknowledge);
        router.get("/api/v1/sinks").handler(this::sinks);
        router.post("/api/v1/alerts/alertmanager").handler(alertmanager).handler(body::handle).handler(this::alerts);
    }

    private void list(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        Optional<String> status = param(context, "status");
        if (status.isPresent() && !List.of("open", "resolved").contains(status.get())) {
            JsonError.send(context, 400, "status must be open or resolved (was '" + status.get() + "')");
            return;
        }
        int limit = DEFAULT_LIMIT;
        Optional<String> limitText = param(context, "limit");
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 10_000) {
                JsonError.send(context, 400, "limit must be 1..10000 (was '" + limitText.get() + "')");
                return;
            }
        }
        Optional<String> service = param(context, "service");
        Optional<String> kind = param(context, "kind");
        long now = clock.millis();
        JsonArray list = new JsonArray();
        for (Incident incident : incidents.incidents()) {
            if (status.isPresent() && !incident.status().label().equals(status.get())
                    || service.isPresent() && !incident.service().equals(service)
                    || kind.isPresent() && !incident.kind().label().equals(kind.get())) {
                continue;
            }
            if (list.size() == limit) {
                break;
            }
            list.add(withDeliveries(incident, now));
        }
        json(context, 200, new JsonObject().put("incidents", list));
    }

    private void one(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        Optional<Incident> incident = find(context);
        if (incident.isEmpty()) {
            return;
        }
        long now = clock.millis();
        JsonObject json = withDeliveries(incident.get(), now);
        // Evidence holds response headers and bodies of internal services: only for the admin token,
        // while the rest of the incident is as open as the incident list.
        if (admin.admits(context)) {
            json.put("evidence", EvidenceJson.of(evidence.forIncident(incident.get(), now)));
        }
        json(context, 200, json);
    }

    private void acknowledge(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        Optional<Incident> incident = find(context);
        if (incident.isEmpty()) {
            return;
        }
        String by = "";
        Buffer body = context.body().buffer();
        if (body != null && body.length() > 0) {
            try {
                Object value = body.toJsonValue();
                if (!(value instanceof JsonObject object) || object.getValue("by") != null
                        && !(object.getValue("by") instanceof String)) {
                    JsonError.send(context, 400, "the body must be a JSON object with a string field 'by'");
                    return;
                }
                by = Optional.ofNullable(object.getString("by")).orElse("").strip();
            } catch (DecodeException e) {
                JsonError.send(context, 400, "the body is not JSON: " + e.getMessage());
                return;
            }
        }
        if (by.length() > 200) {
            JsonError.send(context, 400, "by must be at most 200 characters");
            return;
        }
        if (incident.get().status() != IncidentStatus.OPEN) {
            JsonError.send(context, 409, "incident " + incident.get().key() + " is already resolved");
            return;
        }
        incidents.acknowledge(incident.get().key(), new Acknowledgement(clock.millis(), by, "api"));
        json(context, 200, withDeliveries(incidents.incident(incident.get().key()).orElseThrow(), clock.millis()));
    }

    private void sinks(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        JsonArray sinks = new JsonArray();
        List<DeliveryStatus> dead = outbox.deadLetters();
        for (String name : outbox.sinkNames()) {
            JsonArray letters = new JsonArray();
            dead.stream().filter(d -> d.sink().equals(name)).forEach(d -> letters.add(delivery(d)));
            sinks.add(new JsonObject()
                    .put("name", name)
                    .put("enabled", outbox.disabledReason(name).isEmpty())
                    .put("disabledBecause", outbox.disabledReason(name).orElse(null))
                    .put("pending", outbox.pending(name))
                    .put("deadLetters", letters));
        }
        json(context, 200, new JsonObject().put("sinks", sinks));
    }

    private void alerts(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        Buffer body = context.body().buffer();
        JsonObject payload;
        try {
            Object value = body == null || body.length() == 0 ? null : body.toJsonValue();
            if (!(value instanceof JsonObject object)) {
                JsonError.send(context, 400, "the body must be Alertmanager's webhook JSON object");
                return;
            }
            payload = object;
        } catch (DecodeException e) {
            JsonError.send(context, 400, "the body is not JSON: " + e.getMessage());
            return;
        }
        if (!(payload.getValue("alerts") instanceof JsonArray alerts)) {
            JsonError.send(context, 400, "alerts must be an array");
            return;
        }
        // Every alert is checked before any is applied: a bad payload changes nothing.
        List<Alert> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            String where = "alerts[" + i + "]";
            if (!(alerts.getValue(i) instanceof JsonObject alert)) {
                JsonError.send(context, 400, where + " must be an object");
                return;
            }
            Optional<String> error = Optional.empty();
            Alert item = null;
            try {
                item = Alert.read(alert, where);
            } catch (IllegalArgumentException e) {
                error = Optional.of(e.getMessage());
            }
            if (error.isPresent()) {
                JsonError.send(context, 400, error.get());
                return;
            }
            parsed.add(item);
        }
        long now = clock.millis();
        JsonArray keys = new JsonArray();
        for (Alert alert : parsed) {
            OptionalLong ends = alert.resolved() ? OptionalLong.of(Math.min(alert.endsAtMillis().orElse(now), now))
                    : OptionalLong.empty();
            keys.add(Incident.idOf(incidents.alert(alert.fingerprint(), alert.startsAtMillis(), ends, alert.labels(),
                    alert.annotations())));
        }
        json(context, 200, new JsonObject().put("incidents", keys));
    }

    private Optional<Incident> find(RoutingContext context) {
        String id = context.pathParam("id");
        String key;
        try {
            key = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, "the incident id is not valid percent-encoding: " + id);
            return Optional.empty();
        }
        Optional<Incident> incident = incidents.incident(key);
        if (incident.isEmpty()) {
            JsonError.send(context, 404, "no incident " + key);
        }
        return incident;
    }

    private JsonObject withDeliveries(Incident incident, long now) {
        JsonArray deliveries = new JsonArray();
        for (DeliveryStatus delivery : outbox.deliveries(incident.key())) {
            deliveries.add(delivery(delivery));
        }
        return incident.toJson(OptionalLong.of(now)).put("deliveries", deliveries);
    }

    private static JsonObject delivery(DeliveryStatus delivery) {
        return new JsonObject()
                .put("sink", delivery.sink())
                .put("eventId", delivery.eventId())
                .put("event", delivery.event().label())
                .put("state", delivery.state().label())
                .put("attempts", delivery.attempts())
                .put("lastError", delivery.lastError().orElse(null));
    }

    private boolean starting(RoutingContext context) {
        if (ready.getAsBoolean()) {
            return false;
        }
        context.response().putHeader("Retry-After", "5");
        JsonError.send(context, 503, "the collector is replaying its journal; incidents are not complete yet");
        return true;
    }

    private static Optional<String> param(RoutingContext context, String name) {
        return Optional.ofNullable(context.queryParams().get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    /** One alert of Alertmanager's webhook payload, checked. */
    private record Alert(String fingerprint, boolean resolved, long startsAtMillis, OptionalLong endsAtMillis,
            Map<String, String> labels, Map<String, String> annotations) {

        static Alert read(JsonObject alert, String where) {
            String status = alert.getValue("status") instanceof String s ? s : "";
            if (!status.equals("firing") && !status.equals("resolved")) {
                throw new IllegalArgumentException(where + ".status must be firing or resolved");
            }
            Map<String, String> labels = strings(alert.getValue("labels"), where + ".labels");
            if (labels.isEmpty()) {
                throw new IllegalArgumentException(where + ".labels must not be empty");
            }
            Map<String, String> annotations = alert.getValue("annotations") == null ? Map.of()
                    : strings(alert.getValue("annotations"), where + ".annotations");
            long starts = time(alert.getValue("startsAt"), where + ".startsAt")
                    .orElseThrow(() -> new IllegalArgumentException(where + ".startsAt is required"));
            OptionalLong ends = time(alert.getValue("endsAt"), where + ".endsAt");
            String fingerprint = alert.getValue("fingerprint") instanceof String f && !f.isBlank()
                    ? f.strip() : fingerprint(labels);
            if (!fingerprint.matches("[A-Za-z0-9]{1,64}")) {
                throw new IllegalArgumentException(where + ".fingerprint must be 1..64 letters or digits");
            }
            return new Alert(fingerprint, status.equals("resolved"), starts, ends, labels, annotations);
        }

        private static Map<String, String> strings(Object value, String where) {
            if (!(value instanceof JsonObject object)) {
                throw new IllegalArgumentException(where + " must be an object of strings");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : object) {
                if (!(entry.getValue() instanceof String text)) {
                    throw new IllegalArgumentException(where + "." + entry.getKey() + " must be a string");
                }
                map.put(entry.getKey(), text);
            }
            return map;
        }

        /** An RFC 3339 time; Alertmanager writes {@code 0001-01-01T00:00:00Z} for "none". */
        private static OptionalLong time(Object value, String where) {
            if (value == null) {
                return OptionalLong.empty();
            }
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(where + " must be an RFC 3339 time");
            }
            try {
                long millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
                return millis <= 0 ? OptionalLong.empty() : OptionalLong.of(millis);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + " must be an RFC 3339 time (was '" + text + "')");
            }
        }

        /** Alertmanager's own fingerprint when the payload lacks one: a hash of the sorted label set. */
        private static String fingerprint(Map<String, String> labels) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                new TreeMap<>(labels).forEach((name, value) -> digest.update(
                        (name + "\u0000" + value + "\u0000").getBytes(StandardCharsets.UTF_8)));
                return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }
}
