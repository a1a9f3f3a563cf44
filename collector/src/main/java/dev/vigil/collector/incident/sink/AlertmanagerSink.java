package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends incidents to a Prometheus Alertmanager through its API v2 ({@code POST /api/v2/alerts}), as one
 * alert per incident. Alertmanager identifies an alert by its label set, so the labels are made only of
 * what never changes during an incident (its key, kind, service or check, and its priority, which is
 * fixed at opening); everything that may change goes into the annotations. Opened, updated and reminder
 * events post the firing alert, without {@code endsAt}; the resolved event posts it with {@code endsAt}.
 *
 * <p>Alertmanager resolves an alert by itself when it is not posted again within its
 * {@code resolve_timeout} (5 minutes by default), so the opening is re-sent every
 * {@code resend_every} while the incident stays open: see {@link #resendWhileOpen()}.
 */
public final class AlertmanagerSink implements IncidentSink {
    /** The {@code alertname} label of every alert this sink sends, for routing in Alertmanager. */
    public static final String ALERT_NAME = "VigilIncident";

    private final SinkConfig.Alertmanager config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final URI alertsUrl;

    /** A sink without failure evidence in its payloads. */
    public AlertmanagerSink(SinkConfig.Alertmanager config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink posting to the Alertmanager at {@code config.url()}.
     *
     * @param config its settings
     * @param http   the shared sink HTTP client
     * @param clock  the clock a resolution in the future is held against
     * @param evidence the failure evidence an opening carries
     */
    public AlertmanagerSink(SinkConfig.Alertmanager config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alertsUrl = alertsUrl(config.url());
    }

    @Override
    public String name() {
        return config.settings().name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        config.bearerToken().ifPresent(token -> headers.put("Authorization", "Bearer " + token.reveal()));
        Buffer body = Buffer.buffer(new JsonArray().add(alert(event)).encode());
        SinkRequest request = SinkRequest.json(HttpMethod.POST, alertsUrl, headers, Optional.of(body),
                config.settings().timeout());
        return http.send(request)
                .map(response -> HttpVerdict.of(response, clock))
                .otherwise(HttpVerdict::ofFailure)
                // The token is for a proxy in front of Alertmanager, and a proxy's error page may echo it.
                .map(result -> config.bearerToken().map(token -> result.withoutSecret(token, "<bearer token>"))
                        .orElse(result));
    }

    /** {@code resend_every}: Alertmanager resolves a firing alert that is not posted again in time. */
    @Override
    public Optional<Duration> resendWhileOpen() {
        return Optional.of(config.resendEvery());
    }

    /** The alert for {@code event}: the Alertmanager API v2 {@code postableAlert}. */
    private JsonObject alert(IncidentEvent event) {
        Incident incident = event.incident();
        JsonObject alert = new JsonObject()
                .put("labels", labels(incident))
                .put("annotations", annotations(incident, evidence.of(incident)))
                .put("startsAt", Instant.ofEpochMilli(incident.startedEpochMillis()).toString());
        if (event.type() == IncidentEventType.RESOLVED) {
            alert.put("endsAt", endsAt(incident).toString());
        }
        generatorUrl(incident).ifPresent(url -> alert.put("generatorURL", url));
        return alert;
    }

    private JsonObject labels(Incident incident) {
        JsonObject labels = new JsonObject()
                .put("alertname", ALERT_NAME)
                .put("vigil_key", incident.key())
                .put("kind", incident.kind().label());
        incident.service().ifPresent(service -> labels.put("service", service));
        // A check incident is about one location for its whole life; a service incident's checks grow as
        // it escalates, so they are not part of its identity.
        if (incident.kind() == IncidentKind.OUTAGE && incident.service().isEmpty() && !incident.checks().isEmpty()) {
            labels.put("check", incident.checks().get(0).id());
        }
        labels.put("severity", config.severity().get(incident.priority()));
        labels.put("priority", incident.priority().name());
        return labels;
    }

    private static JsonObject annotations(Incident incident, List<EvidenceEntry> entries) {
        String checks = incident.checks().stream().map(CheckKey::id).collect(Collectors.joining(", "));
        String description = checks.isEmpty() ? incident.detail() : incident.detail() + "\nchecks: " + checks;
        JsonObject annotations = new JsonObject()
                .put("summary", incident.title())
                .put("description", description)
                .put("vigil_id", incident.id())
                .put("started_at", Instant.ofEpochMilli(incident.startedEpochMillis()).toString())
                .put("detected_at", Instant.ofEpochMilli(incident.detectedEpochMillis()).toString());
        incident.acknowledgement().ifPresent(ack -> annotations.put("acknowledged_by",
                ack.by().isEmpty() ? "(via " + ack.source() + ")" : ack.by()));
        if (!entries.isEmpty()) {
            annotations.put("evidence", EvidenceText.line(entries));
        }
        return annotations;
    }

    /**
     * The resolution time, held to now and to the start: Alertmanager counts an alert resolved only once
     * its {@code endsAt} has passed, so a resolution stamped ahead of this clock (an agent's clock ahead
     * of the collector's) would keep it firing, and it refuses an {@code endsAt} before {@code startsAt}.
     */
    private Instant endsAt(Incident incident) {
        long resolved = Math.min(incident.resolvedEpochMillis().getAsLong(), clock.millis());
        return Instant.ofEpochMilli(Math.max(resolved, incident.startedEpochMillis()));
    }

    /**
     * The {@code generator_url} incident label (an alert received from Prometheus carries one), when it
     * is an absolute http(s) URL: Alertmanager refuses the whole alert for a malformed one.
     */
    private static Optional<String> generatorUrl(Incident incident) {
        String value = incident.labels().get("generator_url");
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI url = new URI(value);
            boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            return web && url.getHost() != null ? Optional.of(value) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static URI alertsUrl(URI base) {
        String text = SinkHttp.base(base);
        // Alertmanager may run under a --web.route-prefix, which is then part of the configured URL.
        return URI.create(text + "/api/v2/alerts");
    }
}
