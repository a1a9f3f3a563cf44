package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.incident.delivery.SinkResponse;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends incidents to Opsgenie through the Alert API v2, or to Jira Service Management Operations (the
 * same API under {@code https://api.atlassian.com/jsm/ops/integration}): create an alert on opening,
 * add a note on an escalation or acknowledgement, close it on recovery. The alert's {@code alias} is
 * the incident key; Opsgenie de-duplicates creates by alias among open alerts, so a retried create
 * counts up the open alert instead of opening another.
 *
 * <p>Opsgenie answers 202 and processes each request asynchronously: the sink then asks for the
 * request's status ({@code GET /v2/alerts/requests/{requestId}}) up to {@value #MAX_STATUS_POLLS} times,
 * {@value #POLL_INTERVAL_MILLIS} ms apart, while it answers 404. A request still unprocessed after that
 * is a retry; one processed with {@code isSuccess: false} is refused with Opsgenie's status text, except
 * a close whose alert does not exist, which leaves nothing open and so counts as delivered.
 * Acknowledgements are read back from the alert ({@code acknowledged}, {@code report.ackTime},
 * {@code report.acknowledgedBy}).
 */
public final class OpsgenieSink implements IncidentSink {
    /** How many times a request's status is asked for before the attempt is given up as a retry. */
    static final int MAX_STATUS_POLLS = 6;
    /** The wait between two status polls, in milliseconds. */
    static final long POLL_INTERVAL_MILLIS = 200;
    private static final int MAX_MESSAGE = 130;
    private static final int MAX_ALIAS = 512;
    private static final int MAX_DESCRIPTION = 15_000;
    private static final int MAX_NOTE = 25_000;
    private static final String SOURCE = "vigil";

    private final SinkConfig.Opsgenie config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final String base;

    /** A sink without failure evidence in its payloads. */
    public OpsgenieSink(SinkConfig.Opsgenie config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink calling the API at {@code config.baseUrl()} with {@code http}; {@code clock} reads
     * {@code Retry-After} dates.
     * @param evidence the failure evidence an opening carries
     */
    public OpsgenieSink(SinkConfig.Opsgenie config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.base = SinkHttp.base(config.baseUrl());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        Incident incident = event.incident();
        String alias = alias(incident);
        String onAlert = "/v2/alerts/" + Incident.idOf(alias);
        return switch (event.type()) {
            case OPENED -> post("/v2/alerts", create(incident), "create", alias, false);
            case UPDATED -> post(onAlert + "/notes?identifierType=alias",
                    new JsonObject().put("source", SOURCE)
                            .put("note", IncidentText.cut(updateNote(incident), MAX_NOTE)),
                    "add a note to", alias, false);
            case REMINDER -> Future.succeededFuture(new SendResult.Delivered(204));
            case RESOLVED -> post(onAlert + "/close?identifierType=alias",
                    new JsonObject().put("source", SOURCE)
                            .put("note", IncidentText.cut(closeNote(incident), MAX_NOTE)),
                    "close", alias, true);
        };
    }

    @Override
    public Future<Optional<Acknowledgement>> readAcknowledgement(Incident incident) {
        URI url = url("/v2/alerts/" + Incident.idOf(alias(incident)) + "?identifierType=alias");
        return http.send(request(HttpMethod.GET, url, Optional.empty()))
                .map(response -> response.status() == 200
                        ? response.json().flatMap(this::acknowledgementIn) : Optional.<Acknowledgement>empty())
                .otherwise(Optional.empty());
    }

    private Optional<Acknowledgement> acknowledgementIn(JsonObject alert) {
        try {
            JsonObject data = alert.getJsonObject("data");
            if (data == null || !Boolean.TRUE.equals(data.getValue("acknowledged"))) {
                return Optional.empty();
            }
            JsonObject report = data.getJsonObject("report", new JsonObject());
            String createdAt = data.getString("createdAt");
            Long ackTimeMillis = report.getLong("ackTime");
            // Opsgenie reports the acknowledgement as milliseconds after the alert's creation.
            long at = createdAt != null && ackTimeMillis != null
                    ? Instant.parse(createdAt).toEpochMilli() + ackTimeMillis : clock.millis();
            return Optional.of(new Acknowledgement(at, report.getString("acknowledgedBy", ""), name()));
        } catch (ClassCastException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Posts {@code body} to {@code path}, then follows the asynchronous request to its outcome. */
    private Future<SendResult> post(String path, JsonObject body, String what, String alias, boolean missingIsDone) {
        return http.send(request(HttpMethod.POST, url(path), Optional.of(body)))
                .compose(response -> {
                    SendResult verdict = HttpVerdict.of(response, clock);
                    Optional<String> requestId = response.json().map(json -> json.getValue("requestId"))
                            .filter(String.class::isInstance).map(String.class::cast);
                    if (!(verdict instanceof SendResult.Delivered) || requestId.isEmpty()) {
                        return Future.succeededFuture(verdict);
                    }
                    return poll(new Pending(requestId.get(), response.status(), what, alias, missingIsDone), 1);
                })
                .otherwise(HttpVerdict::ofFailure)
                // Opsgenie does not echo the key, but a proxy in front of it might.
                .map(result -> result.withoutSecret(config.apiKey(), "<api key>"));
    }

    /**
     * An accepted request being followed.
     *
     * @param requestId     Opsgenie's id of the request
     * @param status        the status the request was accepted with (202)
     * @param what          what it does, for messages: "create", "close", "add a note to"
     * @param alias         the alert's alias
     * @param missingIsDone whether "Alert does not exist" is success (closing)
     */
    private record Pending(String requestId, int status, String what, String alias, boolean missingIsDone) {
    }

    private Future<SendResult> poll(Pending pending, int attempt) {
        URI url = url("/v2/alerts/requests/" + Incident.idOf(pending.requestId()));
        return http.send(request(HttpMethod.GET, url, Optional.empty())).compose(response -> {
            if (response.status() == 404) {
                // 404 is Opsgenie's "not processed yet"; the create is idempotent by alias, so giving up
                // as a retry at worst counts the open alert up once more.
                if (attempt >= MAX_STATUS_POLLS) {
                    return Future.succeededFuture(new SendResult.Retry("request " + pending.requestId()
                            + " not processed yet (" + pending.what() + " alert " + pending.alias() + ")",
                            Optional.empty()));
                }
                return later(POLL_INTERVAL_MILLIS).compose(ignored -> poll(pending, attempt + 1));
            }
            return Future.succeededFuture(outcome(pending, response));
        });
    }

    private SendResult outcome(Pending pending, SinkResponse response) {
        SendResult verdict = HttpVerdict.of(response, clock);
        if (!(verdict instanceof SendResult.Delivered)) {
            return verdict;
        }
        Object data = response.json().map(json -> json.getValue("data")).orElse(null);
        if (!(data instanceof JsonObject status) || !(status.getValue("isSuccess") instanceof Boolean success)) {
            return new SendResult.Retry("request " + pending.requestId() + " has an unreadable status: "
                    + response.describe(), Optional.empty());
        }
        if (success) {
            return new SendResult.Delivered(pending.status());
        }
        String text = status.getValue("status") instanceof String given ? given : "no status given";
        if (pending.missingIsDone() && text.toLowerCase(Locale.ROOT).contains("does not exist")) {
            return new SendResult.Delivered(pending.status());
        }
        return new SendResult.Rejected("Opsgenie could not " + pending.what() + " alert " + pending.alias() + ": "
                + text);
    }

    /** Completes after {@code millis} on the caller's Vert.x context, or at once outside one. */
    private static Future<Void> later(long millis) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        context.owner().setTimer(millis, id -> done.complete());
        return done.future();
    }

    private JsonObject create(Incident incident) {
        JsonObject details = new JsonObject();
        incident.labels().forEach(details::put);
        details.put("key", incident.key())
                .put("kind", incident.kind().label())
                .put("service", incident.service().orElse(""))
                .put("priority", incident.priority().name())
                .put("impact", incident.impact().label())
                .put("urgency", incident.urgency().label())
                .put("checks", checks(incident))
                .put("startedAt", Instant.ofEpochMilli(incident.startedEpochMillis()).toString())
                .put("detectedAt", Instant.ofEpochMilli(incident.detectedEpochMillis()).toString());
        List<EvidenceEntry> entries = evidence.of(incident);
        EvidenceText.flat(entries).forEach(details::put);
        JsonArray responders = new JsonArray();
        config.responders().forEach(team -> responders.add(new JsonObject().put("name", team).put("type", "team")));
        JsonObject create = new JsonObject()
                .put("message", IncidentText.cut(incident.title(), MAX_MESSAGE))
                .put("alias", alias(incident))
                .put("description", IncidentText.cut(description(incident, entries), MAX_DESCRIPTION))
                .put("priority", config.priority().get(incident.priority()))
                .put("source", SOURCE)
                .put("tags", new JsonArray().add(SOURCE).add(incident.kind().label()))
                .put("details", details);
        incident.service().ifPresent(service -> create.put("entity", service));
        if (!responders.isEmpty()) {
            create.put("responders", responders);
        }
        return create;
    }

    private static String description(Incident incident, List<EvidenceEntry> entries) {
        return incident.detail()
                + "\n\nChecks: " + (incident.checks().isEmpty() ? "none" : checks(incident))
                + "\nStarted: " + Instant.ofEpochMilli(incident.startedEpochMillis())
                + "\nDetected: " + Instant.ofEpochMilli(incident.detectedEpochMillis())
                + "\nPriority: " + incident.priority() + " (impact " + incident.impact().label()
                + ", urgency " + incident.urgency().label() + ")"
                + "\nIncident key: " + incident.key()
                + (entries.isEmpty() ? "" : "\n\n" + EvidenceText.ticket(entries));
    }

    private static String updateNote(Incident incident) {
        return lastNote(incident).orElse("updated") + "\nChecks: " + checks(incident);
    }

    private static String closeNote(Incident incident) {
        String resolved = incident.resolvedEpochMillis().isPresent()
                ? " at " + Instant.ofEpochMilli(incident.resolvedEpochMillis().getAsLong()) : "";
        return "Resolved by Vigil" + resolved + lastNote(incident).map(note -> ": " + note).orElse("");
    }

    private static Optional<String> lastNote(Incident incident) {
        return incident.timeline().isEmpty() ? Optional.empty()
                : Optional.of(incident.timeline().get(incident.timeline().size() - 1)).map(IncidentNote::text);
    }

    private static String checks(Incident incident) {
        return incident.checks().stream().map(CheckKey::id).collect(Collectors.joining(", "));
    }

    /** The incident key, which Opsgenie takes as an alias of up to 512 characters. */
    private static String alias(Incident incident) {
        return IncidentText.cut(incident.key(), MAX_ALIAS);
    }

    private SinkRequest request(HttpMethod method, URI url, Optional<JsonObject> body) {
        return SinkRequest.json(method, url, Map.of("Authorization", "GenieKey " + config.apiKey().reveal()),
                body.map(JsonObject::toBuffer), config.settings().timeout());
    }

    private URI url(String path) {
        return URI.create(base + path);
    }
}
