package dev.vigil.agent.ship;

import dev.vigil.agent.config.CollectorSettings;
import dev.vigil.protocol.BatchCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the shipper talks to the collector.
 *
 * @param ingestUrl      the full ingest URL, {@code <collector>/api/v1/ingest}
 * @param token          the bearer token; {@link #toString()} hides it
 * @param batchSize      the most samples per request, 1..{@value BatchCodec#MAX_RECORDS}
 * @param requestTimeout how long one request may take, connect included, &gt; 0
 * @param backoff        the delays between failed attempts
 */
public record ShipperSettings(URI ingestUrl, String token, int batchSize, Duration requestTimeout, Backoff backoff) {
    /** The request timeout unless set otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the fields. */
    public ShipperSettings {
        Objects.requireNonNull(ingestUrl, "ingestUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoff, "backoff");
        if (batchSize < 1 || batchSize > BatchCodec.MAX_RECORDS) {
            throw new IllegalArgumentException("batchSize must be 1.." + BatchCodec.MAX_RECORDS
                    + " (was " + batchSize + ")");
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be > 0 (was " + requestTimeout + ")");
        }
    }

    /** Settings for {@code collector} with the default timeout and backoff. */
    public static ShipperSettings of(CollectorSettings collector) {
        return new ShipperSettings(collector.ingestUrl(), collector.token(), collector.batchSize(),
                DEFAULT_REQUEST_TIMEOUT, Backoff.DEFAULT);
    }

    /** The settings with the token replaced by {@code ***}. */
    @Override
    public String toString() {
        return "ShipperSettings[ingestUrl=" + ingestUrl + ", token=***, batchSize=" + batchSize
                + ", requestTimeout=" + requestTimeout + ", backoff=" + backoff + "]";
    }
}
