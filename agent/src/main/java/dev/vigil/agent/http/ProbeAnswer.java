package dev.vigil.agent.http;

import java.util.Objects;

/**
 * The answer to one {@code /probe} request.
 *
 * @param status      the HTTP status code, 100..599
 * @param contentType the {@code Content-Type} of {@code body}
 * @param body        the response body
 */
public record ProbeAnswer(int status, String contentType, String body) {
    /** The content type of plain-text answers: errors and debug output. */
    public static final String TEXT = "text/plain; charset=utf-8";

    /** Validates the status and checks for nulls. */
    public ProbeAnswer {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599 (was " + status + ")");
        }
    }

    /** A plain-text answer with {@code status}; a line break is added, as blackbox_exporter's errors have one. */
    public static ProbeAnswer text(int status, String message) {
        return new ProbeAnswer(status, TEXT, message + "\n");
    }
}
