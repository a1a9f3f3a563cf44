package dev.vigil.agent.http;

import java.util.Objects;

/**
 * What {@code GET /healthz} reports.
 *
 * @param agent          the agent's name ({@code [A-Za-z0-9._-]}, so it needs no JSON escaping)
 * @param journalBacklog journaled samples not yet acknowledged by the collector, ≥ 0
 */
public record Health(String agent, long journalBacklog) {

    /** Validates the fields. */
    public Health {
        Objects.requireNonNull(agent, "agent");
        if (journalBacklog < 0) {
            throw new IllegalArgumentException("journalBacklog must be >= 0 (was " + journalBacklog + ")");
        }
    }

    /** The report as {@code {"status":"ok","agent":"<name>","journalBacklog":N}}. */
    public String toJson() {
        return "{\"status\":\"ok\",\"agent\":\"" + escape(agent) + "\",\"journalBacklog\":" + journalBacklog + "}";
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
