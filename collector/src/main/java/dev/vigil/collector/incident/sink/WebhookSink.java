package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.WebhookSecret;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts incident events as JSON to a webhook, with Standard Webhooks headers: {@code webhook-id} (the
 * event id, stable across retries and restarts, so the receiver can deduplicate), {@code webhook-timestamp}
 * and, with secrets, {@code webhook-signature}.
 */
public final class WebhookSink implements IncidentSink {
    private final SinkConfig.Webhook config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final List<WebhookSignature> signatures = new ArrayList<>();

    /** A sink posting to {@code config.url()} through {@code http}. */
    public WebhookSink(SinkConfig.Webhook config, SinkHttp http, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (WebhookSecret secret : config.secrets()) {
            signatures.add(new WebhookSignature(secret));
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        byte[] body = event.payload().encode().getBytes(StandardCharsets.UTF_8);
        long timestampSeconds = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", event.eventId());
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        if (!signatures.isEmpty()) {
            List<String> signed = new ArrayList<>();
            signatures.forEach(s -> signed.add(s.sign(event.eventId(), timestampSeconds, body)));
            headers.put("webhook-signature", String.join(" ", signed));
        }
        SinkRequest request = SinkRequest.json(HttpMethod.POST, config.url(), headers,
                Optional.of(Buffer.buffer(body)), config.settings().timeout());
        return http.send(request).map(response -> HttpVerdict.of(response, clock)).otherwise(HttpVerdict::ofFailure);
    }
}
