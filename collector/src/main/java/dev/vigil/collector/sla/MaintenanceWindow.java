package dev.vigil.collector.sla;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Planned maintenance: time taken out of the agreed service time of the services it applies to.
 *
 * @param id        unique identifier, referenced by reports
 * @param services  names of the services it applies to; empty means every service
 * @param schedule  when it takes place
 * @param createdBy who created it (a person or a system), for the audit trail
 * @param reason    why, for the audit trail
 * @param createdAt when it was created
 */
public record MaintenanceWindow(String id, Set<String> services, MaintenanceSchedule schedule, String createdBy,
                                String reason, Instant createdAt) implements DeclaredMaintenance {

    /** This window: as declared, it excludes exactly what its schedule says. */
    @Override
    public MaintenanceWindow window() {
        return this;
    }

    /** Validates and copies. */
    public MaintenanceWindow {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("maintenance id must not be blank");
        }
        Objects.requireNonNull(services, "services of maintenance " + id);
        Objects.requireNonNull(schedule, "schedule of maintenance " + id);
        Objects.requireNonNull(createdBy, "createdBy of maintenance " + id);
        Objects.requireNonNull(reason, "reason of maintenance " + id);
        Objects.requireNonNull(createdAt, "createdAt of maintenance " + id);
        services = Set.copyOf(services);
    }

    /** Whether it applies to the named service: it names it, or it names none. */
    public boolean appliesTo(String service) {
        return services.isEmpty() || services.contains(service);
    }

    /**
     * Its occurrences within {@code [fromEpochMillis, toEpochMillis)}.
     *
     * @param fromEpochMillis start of the range, inclusive
     * @param toEpochMillis   end of the range, exclusive
     */
    public IntervalSet occurrences(long fromEpochMillis, long toEpochMillis) {
        return schedule.occurrences(fromEpochMillis, toEpochMillis);
    }
}
