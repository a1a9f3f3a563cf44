package dev.vigil.collector.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook incidents are posted to.
 *
 * @param name    1..64 characters of {@code [A-Za-z0-9._-]}, unique among webhooks; part of the
 *                outbox's delivery records, so renaming a webhook makes it a new one
 * @param url     an absolute http or https URL
 * @param timeout how long one attempt may take, connect included, &gt; 0
 * @param secret  the signing key, when requests are to be signed
 */
public record WebhookConfig(String name, URI url, Duration timeout, Optional<WebhookSecret> secret) {
    /** The attempt timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** This webhook as a sink receiving every incident. */
    public SinkConfig.Webhook asSink() {
        return new SinkConfig.Webhook(new SinkSettings(name, timeout, dev.vigil.collector.incident.Priority.P5,
                java.util.Set.of(), java.util.Set.of()), url, secret.stream().toList());
    }

    /** Validates every field. */
    public WebhookConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(secret, "secret");
        if (!AgentConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("webhook name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
        if (!url.isAbsolute() || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("webhook url must be an absolute http(s) URL (was " + url + ")");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("webhook timeout must be > 0 (was " + timeout + ")");
        }
    }
}
