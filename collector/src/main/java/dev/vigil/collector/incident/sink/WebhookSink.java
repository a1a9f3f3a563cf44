package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts every incident event (opened, updated, reminder, resolved) as the generic JSON payload of
 * {@link IncidentEvent#payload()} to a URL, with the Standard Webhooks headers: {@code webhook-id}, the
 * event id, the same on every attempt and after restarts, for the receiver to deduplicate;
 * {@code webhook-timestamp}, the attempt's time in seconds, for the receiver to refuse replays; and,
 * when secrets are configured, {@code webhook-signature}, one HMAC-SHA256 signature per secret. An opening
 * also carries {@code evidence}: the failure evidence up to the opening, in the shape of
 * {@link EvidenceJson}, the first failure first.
 */
public final class WebhookSink implements IncidentSink {
    private final SinkConfig.Webhook config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final Optional<WebhookSignature> signature;

    /** A sink without failure evidence in its payloads. */
    public WebhookSink(SinkConfig.Webhook config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink posting to {@code config.url()} through {@code http}; {@code clock} stamps each attempt.
     *
     * @param evidence the failure evidence an opening carries
     */
    public WebhookSink(SinkConfig.Webhook config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signature = config.secrets().isEmpty() ? Optional.empty()
                : Optional.of(new WebhookSignature(config.secrets()));
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        // The signature covers these exact bytes: encode once, send what was signed.
        JsonObject payload = event.payload();
        if (event.type() == IncidentEventType.OPENED) {
            List<EvidenceEntry> entries = evidence.of(event.incident());
            if (!entries.isEmpty()) {
                payload.put("evidence", EvidenceJson.of(entries));
            }
        }
        Buffer body = payload.toBuffer();
        long timestampSeconds = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", event.eventId());
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        signature.ifPresent(s -> headers.put("webhook-signature",
                s.sign(event.eventId(), timestampSeconds, body.getBytes())));
        SinkRequest request = SinkRequest.json(HttpMethod.POST, config.url(), headers, Optional.of(body),
                config.settings().timeout());
        return http.send(request).map(response -> HttpVerdict.of(response, clock)).otherwise(HttpVerdict::ofFailure);
    }
}
