package dev.vigil.collector.incident;

import java.util.Objects;

/**
 * One line of an incident's timeline: opened, escalated, muted, acknowledged, resolved...
 *
 * @param atEpochMillis when it happened (data time for what the samples say, the collector's clock otherwise)
 * @param text          what happened, for people
 */
public record IncidentNote(long atEpochMillis, String text) {
    /** Validates presence. */
    public IncidentNote {
        Objects.requireNonNull(text, "text");
    }
}
