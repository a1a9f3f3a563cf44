package dev.vigil.collector.incident;

import java.util.Objects;

/**
 * Someone took an incident on.
 *
 * @param atEpochMillis when, as the tool reported it or the API received it
 * @param by            who, as the tool names them; may be empty when the tool does not say
 * @param source        where: a sink's name, or {@code api}
 */
public record Acknowledgement(long atEpochMillis, String by, String source) {
    /** Validates presence. */
    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(source, "source");
    }
}
