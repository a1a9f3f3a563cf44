package dev.vigil.collector.incident.delivery;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tool answered.
 *
 * @param status  the HTTP status
 * @param headers the response headers
 * @param body    the body, at most {@link SinkHttp#MAX_RESPONSE_BYTES}
 */
public record SinkResponse(int status, MultiMap headers, Buffer body) {
    private static final int MAX_ERROR_TEXT = 200;

    /** Validates presence. */
    public SinkResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** Whether the status is 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as a JSON object, if it is one. */
    public Optional<JsonObject> json() {
        if (body.length() == 0) {
            return Optional.empty();
        }
        try {
            // Not Buffer.toJson(): in Vert.x 5 that is the buffer as a JSON value, its bytes in base64.
            return Optional.of(body.toJsonObject());
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    /** {@code HTTP <status>}, with the start of the body when there is one: for errors shown to people. */
    public String describe() {
        String text = body.toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "HTTP " + status;
        }
        String shown = text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
        return "HTTP " + status + ": " + shown;
    }
}
