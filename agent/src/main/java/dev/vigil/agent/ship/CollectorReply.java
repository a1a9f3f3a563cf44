package dev.vigil.agent.ship;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's answer to one request (an ingest batch, an assignment poll).
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type}, or empty
 * @param body        the body bytes
 * @param retryAfter  the {@code Retry-After} header in seconds, capped at {@link #MAX_RETRY_AFTER}, when
 *                    the collector sent one as a number of seconds
 * @param entityTag   the {@code ETag} header, as sent, when there is one
 */
public record CollectorReply(int status, String contentType, byte[] body, Optional<Duration> retryAfter,
        Optional<String> entityTag) {
    /** The longest wait a {@code Retry-After} may impose. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private static final Pattern ERROR_FIELD = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final int MAX_MESSAGE_CHARS = 300;

    /** The collector's error message: the {@code error} field of a JSON body, or the body as text, shortened. */
    public String errorMessage() {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        Matcher matcher = ERROR_FIELD.matcher(text);
        String message = matcher.find() ? matcher.group(1) : text;
        if (message.isEmpty()) {
            return "(no message)";
        }
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    }

    /** A reply without {@code Retry-After} and {@code ETag}. */
    CollectorReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Optional.empty(), Optional.empty());
    }

    /** The wait a {@code Retry-After} header value asks for: whole seconds, capped; empty for anything else. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String text = header.trim();
        // An HTTP date is allowed too; the collector sends seconds, and a date is not worth trusting clocks for.
        if (!text.chars().allMatch(Character::isDigit) || text.length() > 9) {
            return Optional.empty();
        }
        Duration wait = Duration.ofSeconds(Long.parseLong(text));
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
