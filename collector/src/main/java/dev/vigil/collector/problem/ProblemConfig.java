package dev.vigil.collector.problem;

import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code problems:} section of {@code collector.yaml}: when recurring outages open a problem.
 *
 * <pre>
 * problems:
 *   recurrence: {count: 3, within: 7d}
 * </pre>
 *
 * @param count  how many outages of one subject open a problem, at least 2
 * @param within the longest span from the first to the last of those outages' starts, strictly positive
 */
public record ProblemConfig(int count, Duration within) {
    /** The top-level key of {@code collector.yaml} that {@link #read} handles. */
    public static final String KEY = "problems";
    /** Three outages within seven days. */
    public static final ProblemConfig DEFAULT = new ProblemConfig(3, Duration.ofDays(7));

    /** Validates the count and the span. */
    public ProblemConfig {
        Objects.requireNonNull(within, "within");
        if (count < 2) {
            throw new IllegalArgumentException("problems.recurrence.count must be >= 2 (was " + count + ")");
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("problems.recurrence.within must be > 0 (was " + within + ")");
        }
    }

    /**
     * Reads the {@code problems:} section of {@code root}, or the defaults when it is absent.
     *
     * @throws dev.vigil.config.ConfigException naming the field, the value and the position of the first error
     */
    public static ProblemConfig read(ConfigNode root) {
        return root.find(KEY).map(ProblemConfig::section).orElse(DEFAULT);
    }

    private static ProblemConfig section(ConfigNode problems) {
        problems.rejectUnknown(Set.of("recurrence"));
        return problems.find("recurrence").map(recurrence -> {
            recurrence.rejectUnknown(Set.of("count", "within"));
            return new ProblemConfig(recurrence.integer("count", 2, 1000, DEFAULT.count()),
                    recurrence.duration("within", DEFAULT.within()));
        }).orElse(DEFAULT);
    }
}
