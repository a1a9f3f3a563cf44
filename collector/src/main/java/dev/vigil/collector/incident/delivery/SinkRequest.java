package dev.vigil.collector.incident.delivery;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request a sink makes.
 *
 * @param method  the method
 * @param url     an absolute http or https URL
 * @param headers request headers, in order; values may be secrets and are never logged
 * @param body    the body, if any
 * @param timeout the whole exchange's limit, connect and name resolution included, &gt; 0
 */
public record SinkRequest(HttpMethod method, URI url, Map<String, String> headers, Optional<Buffer> body,
        Duration timeout) {

    /** Validates and copies. */
    public SinkRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeout, "timeout");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be > 0 (was " + timeout + ")");
        }
    }

    /** A JSON request: {@code Content-Type: application/json} and {@code Accept: application/json} added. */
    public static SinkRequest json(HttpMethod method, URI url, Map<String, String> headers, Optional<Buffer> body,
            Duration timeout) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "application/json");
        if (body.isPresent()) {
            all.put("Content-Type", "application/json");
        }
        all.putAll(headers);
        return new SinkRequest(method, url, all, body, timeout);
    }
}
