package dev.vigil.collector.incident;

import dev.vigil.collector.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts incident events as JSON to a webhook, with Standard Webhooks headers: {@code webhook-id}
 * (the event id, stable across retries and restarts, so the receiver can deduplicate),
 * {@code webhook-timestamp} (seconds since the epoch) and, when a secret is configured,
 * {@code webhook-signature}.
 */
final class WebhookSink implements IncidentSink {
    private static final int MAX_ERROR_BODY = 200;

    private final WebhookConfig config;
    private final WebClient client;
    private final InstantSource clock;
    private final Optional<WebhookSignature> signature;

    WebhookSink(WebhookConfig config, WebClient client, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signature = config.secret().map(WebhookSignature::new);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        byte[] body = event.payload().encode().getBytes(StandardCharsets.UTF_8);
        long timestampSeconds = clock.instant().getEpochSecond();
        long timeoutMillis = config.timeout().toMillis();
        HttpRequest<Buffer> request = client.postAbs(config.url().toString())
                .connectTimeout(timeoutMillis)
                .timeout(timeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "vigil-collector")
                .putHeader("webhook-id", event.eventId())
                .putHeader("webhook-timestamp", Long.toString(timestampSeconds));
        signature.ifPresent(s -> request.putHeader("webhook-signature", s.sign(event.eventId(), timestampSeconds, body)));
        return request.sendBuffer(Buffer.buffer(body))
                .map(this::classify)
                .otherwise(failure -> new SendResult.Retry(describe(failure), Optional.empty()));
    }

    private SendResult classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new SendResult.Delivered(status);
        }
        String error = "HTTP " + status + errorBody(response);
        if (retryable(status)) {
            return new SendResult.Retry(error, retryAfter(response.getHeader("Retry-After")));
        }
        return new SendResult.Rejected(error);
    }

    /**
     * Whether a non-2xx status may succeed later: 5xx, 429 Too Many Requests, and the two 4xx that speak
     * of timing rather than of the request, 408 Request Timeout (the receiver gave up waiting for it)
     * and 425 Too Early (it will take the same request later).
     */
    private static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    private Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(Backoff.MAX_RETRY_AFTER);
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String errorBody(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return "";
        }
        String text = body.toString(StandardCharsets.UTF_8).strip();
        return ": " + (text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
