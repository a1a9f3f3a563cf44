package dev.vigil.collector.sla;

/**
 * A maintenance window as an SLA evaluation reads it: the window as declared (who, why, when) and the
 * time it actually excludes, which may be less than its schedule says, e.g. when it was ended early.
 */
public interface DeclaredMaintenance {
    /** The window as declared. */
    MaintenanceWindow window();

    /** The time it excludes within {@code [fromEpochMillis, toEpochMillis)}. */
    IntervalSet occurrences(long fromEpochMillis, long toEpochMillis);

    /** Whether it applies to the service {@code service}. */
    default boolean appliesTo(String service) {
        return window().appliesTo(service);
    }
}
