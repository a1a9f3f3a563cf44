package dev.vigil.collector.incident;

import java.util.Locale;
import java.util.Objects;

/**
 * Why an open incident is muted: recorded and shown in the API, but not delivered to sinks while the
 * reason holds. A muted incident whose opening was never delivered is never resolved in the sinks
 * either; one whose opening was delivered always has its resolution delivered.
 *
 * @param reason maintenance or a down dependency
 * @param detail which window or which dependency, for people
 */
public record Suppression(Reason reason, String detail) {
    /** Validates presence. */
    public Suppression {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** Why. */
    public enum Reason {
        /** The service is in a declared maintenance window. */
        MAINTENANCE,
        /** A service it depends on has an open outage incident. */
        DEPENDENCY;

        /** {@code maintenance} or {@code dependency}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
