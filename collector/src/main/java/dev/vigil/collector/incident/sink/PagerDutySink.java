package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends incidents to PagerDuty through the Events API v2: {@code trigger} on opening, {@code trigger}
 * again on an escalation (PagerDuty merges a trigger for an open {@code dedup_key} into the same alert)
 * or {@code acknowledge} once the incident is acknowledged, {@code resolve} on recovery. The
 * {@code dedup_key} is the incident key, so every retry and every restart lands on the same alert.
 * Reminders send nothing: PagerDuty re-notifies by its own escalation policy.
 *
 * <p>A trigger for a {@code dedup_key} whose alert is resolved opens a <em>new</em> incident in
 * PagerDuty; the outbox never sends an incident's trigger after its resolve, which is what keeps a
 * late retry from opening a second one. The Events API can only write, so acknowledgements are not
 * read back.
 */
public final class PagerDutySink implements IncidentSink {
    /** PagerDuty's limit on {@code payload.summary}. */
    static final int MAX_SUMMARY = 1024;

    private final SinkConfig.PagerDuty config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;

    /** A sink without failure evidence in its payloads. */
    public PagerDutySink(SinkConfig.PagerDuty config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink posting to {@code config.url()} with {@code http}; {@code clock} reads {@code Retry-After} dates.
     *
     * @param evidence the failure evidence an opening carries
     */
    public PagerDutySink(SinkConfig.PagerDuty config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        Incident incident = event.incident();
        return switch (event.type()) {
            case OPENED -> post(trigger(incident));
            case UPDATED -> post(incident.acknowledgement().isPresent() ? action(incident, "acknowledge")
                    : trigger(incident));
            case REMINDER -> Future.succeededFuture(new SendResult.Delivered(204));
            case RESOLVED -> post(action(incident, "resolve"));
        };
    }

    private Future<SendResult> post(JsonObject event) {
        SinkRequest request = SinkRequest.json(HttpMethod.POST, config.url(), Map.of(),
                Optional.of(event.toBuffer()), config.settings().timeout());
        return http.send(request)
                .map(response -> HttpVerdict.of(response, clock))
                .otherwise(HttpVerdict::ofFailure)
                // PagerDuty does not echo the routing key, but a proxy in front of it might.
                .map(result -> result.withoutSecret(config.routingKey(), "<routing key>"));
    }

    private JsonObject action(Incident incident, String action) {
        return new JsonObject()
                .put("routing_key", config.routingKey().reveal())
                .put("event_action", action)
                .put("dedup_key", incident.key());
    }

    private JsonObject trigger(Incident incident) {
        Optional<CheckKey> firstCheck = incident.checks().stream().findFirst();
        JsonArray checks = new JsonArray();
        incident.checks().forEach(check -> checks.add(check.id()));
        JsonObject labels = new JsonObject();
        incident.labels().forEach(labels::put);
        JsonObject details = new JsonObject()
                .put("key", incident.key())
                .put("priority", incident.priority().name())
                .put("impact", incident.impact().label())
                .put("urgency", incident.urgency().label())
                .put("checks", checks)
                .put("detail", incident.detail())
                .put("detectedAt", Instant.ofEpochMilli(incident.detectedEpochMillis()).toString())
                .put("labels", labels);
        List<EvidenceEntry> entries = evidence.of(incident);
        if (!entries.isEmpty()) {
            details.put("evidence", EvidenceJson.of(entries));
        }
        String title = incident.title();
        JsonObject payload = new JsonObject()
                .put("summary", title.length() > MAX_SUMMARY ? title.substring(0, MAX_SUMMARY - 1) + "…" : title)
                .put("source", incident.service().or(() -> firstCheck.map(CheckKey::id)).orElse("vigil"))
                .put("severity", config.severity().get(incident.priority()))
                .put("timestamp", Instant.ofEpochMilli(incident.startedEpochMillis()).toString())
                .put("class", incident.kind().label())
                .put("custom_details", details);
        firstCheck.ifPresent(check -> payload.put("component", check.check()));
        incident.service().ifPresent(service -> payload.put("group", service));
        return action(incident, "trigger").put("payload", payload);
    }
}
