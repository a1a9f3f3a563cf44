package dev.vigil.collector.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one ingest request may take from the collector.
 *
 * @param maxBodyBytes   the largest batch body, after gzip decompression, in bytes,
 *                       {@value #MIN_BODY_BYTES}..{@value #MAX_BODY_BYTES}; more is refused with 413
 * @param requestTimeout how long a request may take from its first byte (on a new connection, from the
 *                       connection's accept) until the collector has read all of it; a slower client
 *                       gets 408 and its connection is closed
 * @param idleTimeout    how long a connection may stay silent or, between two requests, without a new
 *                       request before the collector closes it
 * @param maxInFlight    how many ingest requests may be read and processed at once,
 *                       1..{@value #MAX_IN_FLIGHT}; one more is refused with 429 and {@code Retry-After: 1}
 */
public record IngestLimits(int maxBodyBytes, Duration requestTimeout, Duration idleTimeout, int maxInFlight) {
    /** The smallest body limit allowed: an empty batch with its header fits many times over. */
    public static final int MIN_BODY_BYTES = 1024;
    /** The largest body limit allowed (256 MiB): a batch is decoded in memory in one piece. */
    public static final int MAX_BODY_BYTES = 256 * 1024 * 1024;
    /** The most requests in flight allowed. */
    public static final int MAX_IN_FLIGHT = 4096;
    /** 16 MiB, 30 s, 60 s, 32 requests. */
    public static final IngestLimits DEFAULT = new IngestLimits(16 * 1024 * 1024, Duration.ofSeconds(30),
            Duration.ofSeconds(60), 32);

    /** Validates every limit. */
    public IngestLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("ingest max_body_bytes must be " + MIN_BODY_BYTES + ".." + MAX_BODY_BYTES
                    + " (was " + maxBodyBytes + ")");
        }
        if (requestTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("ingest timeouts must be at least 1 ms (were " + requestTimeout + ", "
                    + idleTimeout + ")");
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("ingest max_in_flight must be 1.." + MAX_IN_FLIGHT
                    + " (was " + maxInFlight + ")");
        }
    }
}
