package dev.vigil.agent.ship;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's answer to one ingest request.
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type}, or empty
 * @param body        the body bytes
 */
record IngestReply(int status, String contentType, byte[] body) {
    private static final Pattern ERROR_FIELD = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final int MAX_MESSAGE_CHARS = 300;

    /** The collector's error message: the {@code error} field of a JSON body, or the body as text, shortened. */
    String errorMessage() {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        Matcher matcher = ERROR_FIELD.matcher(text);
        String message = matcher.find() ? matcher.group(1) : text;
        if (message.isEmpty()) {
            return "(no message)";
        }
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    }
}
