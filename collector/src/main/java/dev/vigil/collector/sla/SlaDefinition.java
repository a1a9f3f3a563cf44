package dev.vigil.collector.sla;

import java.util.List;
import java.util.Objects;

/**
 * A service level agreement: objectives judged per period over the agreed hours of a calendar.
 *
 * @param name       unique name
 * @param objectives what is promised, at least one
 * @param period     the period attainment is judged over
 * @param calendar   name of the {@link ServiceCalendar} giving the agreed hours
 * @param noData     how time without data counts
 */
public record SlaDefinition(String name, List<Objective> objectives, SlaPeriod period, String calendar,
                            NoDataPolicy noData) {
    /** Validates and copies. */
    public SlaDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("SLA name must not be blank");
        }
        Objects.requireNonNull(objectives, "objectives of SLA " + name);
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("SLA " + name + " needs at least one objective");
        }
        objectives = List.copyOf(objectives);
        Objects.requireNonNull(period, "period of SLA " + name);
        Objects.requireNonNull(calendar, "calendar of SLA " + name);
        Objects.requireNonNull(noData, "noData of SLA " + name);
    }
}
