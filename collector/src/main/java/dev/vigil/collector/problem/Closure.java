package dev.vigil.collector.problem;

import java.util.Objects;

/**
 * How a problem was closed: the root cause someone found, who, and when.
 *
 * @param rootCause          what caused the recurring outages, not blank
 * @param by                 who closed it; may be empty
 * @param closedEpochMillis  when it was closed; outages starting from then on belong to a new problem
 */
public record Closure(String rootCause, String by, long closedEpochMillis) {
    /** Validates that the root cause is given. */
    public Closure {
        Objects.requireNonNull(rootCause, "rootCause");
        Objects.requireNonNull(by, "by");
        if (rootCause.isBlank()) {
            throw new IllegalArgumentException("root_cause must not be blank");
        }
    }
}
