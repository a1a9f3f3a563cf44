package dev.vigil.collector.sla;

import java.time.Instant;
import java.util.Objects;

/**
 * How much service time one maintenance window took out of an SLA range, and on whose word.
 * Overlapping windows each report their own share, so their sum can exceed the total excluded.
 *
 * @param id             the maintenance window's id
 * @param createdBy      who created it
 * @param reason         why
 * @param createdAt      when it was created
 * @param excluded       the service hours in the range it covered
 */
public record MaintenanceExclusion(String id, String createdBy, String reason, Instant createdAt,
                                   IntervalSet excluded) {
    /** Validates. */
    public MaintenanceExclusion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(excluded, "excluded");
    }

    /** The length of {@link #excluded()}, milliseconds. */
    public long excludedMillis() {
        return excluded.totalMillis();
    }
}
