package dev.vigil.collector.sla;

import java.util.Objects;

/**
 * An outage as an SLA report lists it.
 *
 * @param outage         start, end (empty while ongoing) and detection time
 * @param durationMillis full length: to its end, or to the evaluation instant while ongoing,
 *                       including any part outside the range or the agreed time
 * @param downtimeMillis how much of it counted as downtime of this SLA: its DOWN time (and its
 *                       NO_DATA time under the {@code down} policy) within the range's agreed time
 */
public record SlaOutage(OutageRecord outage, long durationMillis, long downtimeMillis) {
    /** Validates. */
    public SlaOutage {
        Objects.requireNonNull(outage, "outage");
        if (durationMillis <= 0 || downtimeMillis < 0 || downtimeMillis > durationMillis) {
            throw new IllegalArgumentException("outage duration " + durationMillis + " and downtime "
                    + downtimeMillis + " must satisfy 0 <= downtime <= duration, duration > 0");
        }
    }
}
