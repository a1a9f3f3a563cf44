package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.delivery.AttemptSteps;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.incident.delivery.SinkResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Opens, annotates and resolves incidents in ServiceNow through the Table API
 * ({@code /api/now/table/<table>}), with basic authentication.
 *
 * <p>The Table API has no idempotent create, so the sink keeps no state and looks up before it
 * creates: every event first asks for the record whose {@code correlation_id} is the incident key.
 * After a lost response or a restart, that lookup finds the record made by the earlier attempt and
 * nothing is created twice. An update for a record that does not exist yet creates it first, and so
 * does a resolution, so the ticket is there for the audit trail.
 *
 * <p>Each request of an attempt is classified by {@link HttpVerdict}; the first one that is not
 * delivered is the attempt's result.
 */
public final class ServiceNowSink implements IncidentSink {
    /** ServiceNow's {@code incident.short_description} holds 160 characters. */
    private static final int MAX_SHORT_DESCRIPTION = 160;
    /**
     * ServiceNow's {@code correlation_id} holds 100 characters and silently cuts longer values, which
     * would make the lookup miss and every retry create a duplicate: longer keys are hashed.
     */
    private static final int MAX_CORRELATION_ID = 100;
    private static final String CORRELATION_DISPLAY = "Vigil";
    private static final String IN_PROGRESS = "2";
    private static final Set<String> RESOLVED_OR_CLOSED = Set.of("6", "7");
    private static final DateTimeFormatter SYSTEM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String LOOKUP_FIELDS = "sys_id,number,state,assigned_to,sys_updated_on";

    private final SinkConfig.ServiceNow config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final String tableUrl;

    /** A sink without failure evidence in its payloads. */
    public ServiceNowSink(SinkConfig.ServiceNow config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink for the instance and table of {@code config}.
     *
     * @param http  the shared sink client (egress policy included)
     * @param clock the time used to read {@code Retry-After} dates
     * @param evidence the failure evidence an opening carries
     */
    public ServiceNowSink(SinkConfig.ServiceNow config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tableUrl = SinkHttp.base(config.instanceUrl()) + "/api/now/table/" + Incident.idOf(config.table());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        Incident incident = event.incident();
        Future<SendResult> attempt = switch (event.type()) {
            case OPENED -> lookup(incident).compose(found -> found.isPresent()
                    ? Future.succeededFuture(new SendResult.Delivered(200))
                    : create(incident).map(created -> new SendResult.Delivered(201)));
            case UPDATED -> recordOf(incident).compose(record -> update(record,
                    new JsonObject().put("work_notes", IncidentText.ticketUpdate(event))));
            case RESOLVED -> recordOf(incident).compose(record -> RESOLVED_OR_CLOSED.contains(record.state())
                    ? Future.succeededFuture(new SendResult.Delivered(200))
                    : update(record, resolution(incident)));
            // A ticket stays until it is resolved: there is nothing to remind it of.
            case REMINDER -> Future.succeededFuture(new SendResult.Delivered(204));
        };
        return AttemptSteps.result(attempt);
    }

    /**
     * Reads the record back: in progress (state 2) or assigned to someone counts as acknowledged, at
     * the record's last update, by the assignee.
     */
    @Override
    public Future<Optional<Acknowledgement>> readAcknowledgement(Incident incident) {
        return lookup(incident)
                .map(found -> found.flatMap(this::acknowledgement))
                .otherwise(Optional.empty());
    }

    private Optional<Acknowledgement> acknowledgement(Ticket ticket) {
        if (!ticket.state().equals(IN_PROGRESS) && ticket.assignee().isEmpty()) {
            return Optional.empty();
        }
        long atEpochMillis;
        try {
            atEpochMillis = LocalDateTime.parse(ticket.updatedOn(), SYSTEM_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            atEpochMillis = clock.millis();
        }
        return Optional.of(new Acknowledgement(atEpochMillis, ticket.assignee(), name()));
    }

    /** The record of {@code incident}, created when the lookup finds none. */
    private Future<Ticket> recordOf(Incident incident) {
        return lookup(incident).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> create(incident)));
    }

    private Future<Optional<Ticket>> lookup(Incident incident) {
        // display_value=all gives both forms of each field: the assignee's name for people, and the
        // state code and the UTC update time (the display value is in the integration user's zone).
        URI url = URI.create(tableUrl
                + "?sysparm_query=" + encode("correlation_id=" + correlationId(incident.key()))
                + "&sysparm_fields=" + encode(LOOKUP_FIELDS)
                + "&sysparm_limit=1&sysparm_display_value=all");
        return call("lookup", HttpMethod.GET, url, Optional.empty()).map(response -> {
            JsonArray rows = response.json().map(json -> json.getValue("result"))
                    .filter(JsonArray.class::isInstance).map(JsonArray.class::cast)
                    .orElseThrow(() -> AttemptSteps.unreadable("lookup", response));
            if (rows.isEmpty() || !(rows.getValue(0) instanceof JsonObject row)) {
                return Optional.empty();
            }
            return Optional.of(ticket(row, "lookup", response));
        });
    }

    private Future<Ticket> create(Incident incident) {
        JsonObject body = new JsonObject()
                .put("short_description", IncidentText.cut(incident.title(), MAX_SHORT_DESCRIPTION))
                .put("description", EvidenceText.appended(IncidentText.ticketDescription(incident), evidence.of(incident)))
                .put("correlation_id", correlationId(incident.key()))
                .put("correlation_display", CORRELATION_DISPLAY)
                .put("impact", incident.impact().number())
                .put("urgency", incident.urgency().number());
        config.assignmentGroup().ifPresent(group -> body.put("assignment_group", group));
        return call("create", HttpMethod.POST, URI.create(tableUrl), Optional.of(body)).map(response -> {
            JsonObject row = response.json().map(json -> json.getValue("result"))
                    .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                    .orElseThrow(() -> AttemptSteps.unreadable("create", response));
            return ticket(row, "create", response);
        });
    }

    private Future<SendResult> update(Ticket ticket, JsonObject changes) {
        URI url = URI.create(tableUrl + "/" + Incident.idOf(ticket.sysId()));
        return call("update " + ticket.number(), HttpMethod.PATCH, url, Optional.of(changes))
                .map(response -> new SendResult.Delivered(response.status()));
    }

    private JsonObject resolution(Incident incident) {
        long resolvedEpochMillis = incident.resolvedEpochMillis().orElse(clock.millis());
        String notes = "Resolved by Vigil: " + IncidentText.recovered(incident) + " recovered at "
                + Instant.ofEpochMilli(resolvedEpochMillis) + ", outage "
                + IncidentText.duration(resolvedEpochMillis - incident.startedEpochMillis())
                + " (Vigil incident " + incident.key() + ")";
        return new JsonObject()
                .put("state", config.resolvedState())
                .put("close_code", config.closeCode())
                .put("close_notes", notes);
    }


    private Future<SinkResponse> call(String step, HttpMethod method, URI url, Optional<JsonObject> body) {
        SinkRequest request = SinkRequest.json(method, url, Map.of("Authorization", authorization()),
                body.map(JsonObject::toBuffer), config.settings().timeout());
        return http.send(request).transform(done -> AttemptSteps.check(step, done, clock));
    }

    private String authorization() {
        String pair = config.username() + ":" + config.password().reveal();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code correlation_id} of {@code key}: the key itself when it fits, else a hash of it. */
    private static String correlationId(String key) {
        if (key.length() <= MAX_CORRELATION_ID) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "vigil-sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Ticket ticket(JsonObject row, String step, SinkResponse response) {
        String sysId = value(row, "sys_id");
        if (sysId.isEmpty()) {
            throw AttemptSteps.unreadable(step, response);
        }
        return new Ticket(sysId, value(row, "number"), value(row, "state"), display(row, "assigned_to"),
                value(row, "sys_updated_on"));
    }

    /** A field's stored value, whether the answer holds plain values or {@code {value, display_value}} pairs. */
    private static String value(JsonObject row, String field) {
        Object raw = row.getValue(field);
        if (raw instanceof JsonObject pair) {
            raw = pair.getValue("value");
        }
        return raw == null ? "" : String.valueOf(raw);
    }

    private static String display(JsonObject row, String field) {
        Object raw = row.getValue(field);
        if (raw instanceof JsonObject pair) {
            raw = pair.getValue("display_value");
        }
        return raw == null ? "" : String.valueOf(raw);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A ServiceNow record as the lookup or the create returned it.
     *
     * @param sysId     the record's {@code sys_id}
     * @param number    {@code INC0010001}, for messages
     * @param state     the state code: 1 New, 2 In Progress, 6 Resolved, 7 Closed, ...
     * @param assignee  the assignee's display name, empty when unassigned
     * @param updatedOn {@code sys_updated_on} in UTC, {@code yyyy-MM-dd HH:mm:ss}
     */
    private record Ticket(String sysId, String number, String state, String assignee, String updatedOn) {
    }
}
