package dev.vigil.agent.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the agent ships its samples.
 *
 * @param url       the collector's base URL; batches go to {@code <url>/api/v1/ingest}
 * @param token     the agent's bearer token; never logged ({@link #toString()} hides it)
 * @param batchSize the most samples in one request, 1..{@value #MAX_BATCH_SIZE}
 */
public record CollectorSettings(URI url, String token, int batchSize) {
    /** The batch size when none is configured. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** The largest batch size allowed. */
    public static final int MAX_BATCH_SIZE = 10_000;

    /** Validates the URL scheme, the token's presence and the batch size. */
    public CollectorSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("collector url must be an http(s) URL with a host (was " + url + ")");
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("collector token must not be empty");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + " (was " + batchSize + ")");
        }
    }

    /** The ingest endpoint, {@code <url>/api/v1/ingest}. */
    public URI ingestUrl() {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/ingest");
    }

    /** The settings with the token replaced by {@code ***}. */
    @Override
    public String toString() {
        return "CollectorSettings[url=" + url + ", token=***, batchSize=" + batchSize + "]";
    }
}
