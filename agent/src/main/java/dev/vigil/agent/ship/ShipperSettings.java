package dev.vigil.agent.ship;

import dev.vigil.agent.config.CollectorSettings;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.protocol.BatchCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the shipper talks to the collector.
 *
 * @param ingestUrl      the full ingest URL, {@code <collector>/api/v1/ingest}
 * @param token          the bearer token, or empty when the client certificate of {@code tls} alone
 *                       authenticates the agent; {@link #toString()} hides it
 * @param batchSize      the most samples per request, 1..{@value BatchCodec#MAX_RECORDS}
 * @param requestTimeout how long one request may take, connect included, &gt; 0
 * @param backoff        the delays between failed attempts
 * @param tls            the trust, client certificate and server name of an https collector
 */
public record ShipperSettings(URI ingestUrl, String token, int batchSize, Duration requestTimeout, Backoff backoff,
        TlsSettings tls) {
    /** The request timeout unless set otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the fields. */
    public ShipperSettings {
        Objects.requireNonNull(ingestUrl, "ingestUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(tls, "tls");
        if (batchSize < 1 || batchSize > BatchCodec.MAX_RECORDS) {
            throw new IllegalArgumentException("batchSize must be 1.." + BatchCodec.MAX_RECORDS
                    + " (was " + batchSize + ")");
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be > 0 (was " + requestTimeout + ")");
        }
    }

    /** Settings without TLS options: an https collector is verified against the JVM's trust store. */
    public ShipperSettings(URI ingestUrl, String token, int batchSize, Duration requestTimeout, Backoff backoff) {
        this(ingestUrl, token, batchSize, requestTimeout, backoff, TlsSettings.DEFAULT);
    }

    /** Settings for {@code collector} with the default timeout and backoff. */
    public static ShipperSettings of(CollectorSettings collector) {
        return new ShipperSettings(collector.ingestUrl(), collector.token().orElse(""), collector.batchSize(),
                DEFAULT_REQUEST_TIMEOUT, Backoff.DEFAULT, collector.tls());
    }

    /** The settings with the token replaced by {@code ***}. */
    @Override
    public String toString() {
        return "ShipperSettings[ingestUrl=" + ingestUrl + ", token=***, batchSize=" + batchSize
                + ", requestTimeout=" + requestTimeout + ", backoff=" + backoff + "]";
    }
}
