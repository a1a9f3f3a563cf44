package dev.vigil.collector.incident;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The ITIL priority matrix: a priority for each pair of impact and urgency. The default is the usual
 * 3 × 3 table, in which the priority is the sum of the two levels' numbers minus one.
 *
 * @param priorities the priority of each (impact, urgency), complete
 */
public record PriorityMatrix(Map<Level, Map<Level, Priority>> priorities) {
    /** HIGH × HIGH = P1, HIGH × MEDIUM = P2, ..., LOW × LOW = P5. */
    public static final PriorityMatrix DEFAULT = itil();

    /** Validates that every cell is filled, and copies. */
    public PriorityMatrix {
        Objects.requireNonNull(priorities, "priorities");
        Map<Level, Map<Level, Priority>> copy = new EnumMap<>(Level.class);
        for (Level impact : Level.values()) {
            Map<Level, Priority> row = priorities.get(impact);
            if (row == null) {
                throw new IllegalArgumentException("the priority matrix has no row for impact " + impact.label());
            }
            for (Level urgency : Level.values()) {
                if (row.get(urgency) == null) {
                    throw new IllegalArgumentException("the priority matrix has no priority for impact "
                            + impact.label() + " and urgency " + urgency.label());
                }
            }
            copy.put(impact, Map.copyOf(row));
        }
        priorities = Map.copyOf(copy);
    }

    /** The priority of an incident of {@code impact} and {@code urgency}. */
    public Priority priorityOf(Level impact, Level urgency) {
        return priorities.get(impact).get(urgency);
    }

    private static PriorityMatrix itil() {
        Map<Level, Map<Level, Priority>> cells = new EnumMap<>(Level.class);
        for (Level impact : Level.values()) {
            Map<Level, Priority> row = new EnumMap<>(Level.class);
            for (Level urgency : Level.values()) {
                row.put(urgency, Priority.values()[impact.ordinal() + urgency.ordinal()]);
            }
            cells.put(impact, row);
        }
        return new PriorityMatrix(cells);
    }
}
