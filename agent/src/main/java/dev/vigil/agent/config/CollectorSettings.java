package dev.vigil.agent.config;

import dev.vigil.config.check.TlsSettings;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the agent ships its samples.
 *
 * @param url       the collector's base URL; batches go to {@code <url>/api/v1/ingest}
 * @param token     the agent's bearer token; never logged ({@link #toString()} hides it); may be empty
 *                  only when {@code tls} presents a client certificate
 * @param batchSize the most samples in one request, 1..{@value #MAX_BATCH_SIZE}
 * @param tls       what an https collector is verified against ({@code ca_file}, {@code server_name})
 *                  and the client certificate the agent presents ({@code cert_file}, {@code key_file});
 *                  {@link TlsSettings#DEFAULT} when not set
 * @param assignments whether and how often the agent fetches the checks the collector assigns it
 */
public record CollectorSettings(URI url, Optional<String> token, int batchSize, TlsSettings tls,
        AssignmentSettings assignments) {
    /** The batch size when none is configured. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** The largest batch size allowed. */
    public static final int MAX_BATCH_SIZE = 10_000;

    /** Validates the URL scheme, the credentials and the batch size. */
    public CollectorSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(assignments, "assignments");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("collector url must be an http(s) URL with a host (was " + url + ")");
        }
        if (token.isPresent() && token.get().isBlank()) {
            throw new IllegalArgumentException("collector token must not be empty");
        }
        if (token.isEmpty() && tls.certFile().isEmpty()) {
            throw new IllegalArgumentException("collector token is required unless tls.cert_file is set");
        }
        if (!scheme.equals("https") && !tls.equals(TlsSettings.DEFAULT)) {
            throw new IllegalArgumentException("collector tls needs an https url (was " + url + ")");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + " (was " + batchSize + ")");
        }
    }

    /**
     * Settings authenticating with {@code token} alone, verifying an https collector against the JVM's trust
     * store, fetching assignments every 30 s.
     */
    public CollectorSettings(URI url, String token, int batchSize) {
        this(url, Optional.of(token), batchSize, TlsSettings.DEFAULT, AssignmentSettings.DEFAULT);
    }

    /** The ingest endpoint, {@code <url>/api/v1/ingest}. */
    public URI ingestUrl() {
        return endpoint("/api/v1/ingest");
    }

    /** The assignment endpoint, {@code <url>/api/v1/assignments}. */
    public URI assignmentsUrl() {
        return endpoint("/api/v1/assignments");
    }

    private URI endpoint(String path) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** The settings with the token replaced by {@code ***}. */
    @Override
    public String toString() {
        return "CollectorSettings[url=" + url + ", token=" + (token.isPresent() ? "***" : "none") + ", batchSize="
                + batchSize + ", tls=" + tls + ", assignments=" + assignments + "]";
    }
}
