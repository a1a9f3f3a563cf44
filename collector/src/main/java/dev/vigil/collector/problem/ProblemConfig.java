package dev.vigil.collector.problem;

import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code problems:} section of {@code collector.yaml}: which recurring outages open a problem, and the
 * sink that receives each new problem as a ticket.
 *
 * <pre>
 * problems:
 *   recurrence: {count: 3, within: 7d}     # any outages
 *   same_outcome: {count: 3, within: 30d}  # outages failing the same way; off unless present
 *   sink: jira                             # optional: a name from sinks:
 * </pre>
 *
 * @param count       how many outages of one subject open a problem, at least 2
 * @param within      the longest span from the first to the last of those outages' starts, strictly positive
 * @param sameOutcome the rule for outages with the same failure ({@link ProblemPattern#failure}), if enabled
 * @param sink        the name of the sink that receives problems as tickets, if any
 */
public record ProblemConfig(int count, Duration within, Optional<Rule> sameOutcome, Optional<String> sink) {
    /** The top-level key of {@code collector.yaml} that {@link #read} handles. */
    public static final String KEY = "problems";
    /** Three outages within seven days; no same-outcome rule; no sink. */
    public static final ProblemConfig DEFAULT = new ProblemConfig(3, Duration.ofDays(7));
    /** The same-outcome rule's defaults, for what {@code same_outcome: {}} leaves out: three within 30 days. */
    public static final Rule SAME_OUTCOME_DEFAULT = new Rule(3, Duration.ofDays(30));

    /** Validates the count and the span. */
    public ProblemConfig {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(sameOutcome, "sameOutcome");
        Objects.requireNonNull(sink, "sink");
        validate(count, within, "problems.recurrence");
        if (sink.isPresent() && sink.get().isBlank()) {
            throw new IllegalArgumentException("problems.sink must not be blank");
        }
    }

    /** The recurrence rule only, without a same-outcome rule or a sink. */
    public ProblemConfig(int count, Duration within) {
        this(count, within, Optional.empty(), Optional.empty());
    }

    /**
     * A rule: {@code count} outages whose starts lie within {@code within}.
     *
     * @param count  at least 2
     * @param within strictly positive
     */
    public record Rule(int count, Duration within) {
        /** Validates the count and the span. */
        public Rule {
            validate(count, within, "problems.same_outcome");
        }
    }

    private static void validate(int count, Duration within, String path) {
        Objects.requireNonNull(within, "within");
        if (count < 2) {
            throw new IllegalArgumentException(path + ".count must be >= 2 (was " + count + ")");
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException(path + ".within must be > 0 (was " + within + ")");
        }
    }

    /**
     * Reads the {@code problems:} section of {@code root}, or the defaults when it is absent. A
     * {@code sink} must name one of the {@code sinks:}.
     *
     * @throws dev.vigil.config.ConfigException naming the field, the value and the position of the first error
     */
    public static ProblemConfig read(ConfigNode root) {
        return root.find(KEY).map(problems -> section(root, problems)).orElse(DEFAULT);
    }

    private static ProblemConfig section(ConfigNode root, ConfigNode problems) {
        problems.rejectUnknown(Set.of("recurrence", "same_outcome", "sink"));
        Rule recurrence = problems.find("recurrence").map(node -> rule(node, DEFAULT.count(), DEFAULT.within()))
                .orElse(new Rule(DEFAULT.count(), DEFAULT.within()));
        Optional<Rule> sameOutcome = problems.find("same_outcome").map(node -> rule(node, SAME_OUTCOME_DEFAULT.count(), SAME_OUTCOME_DEFAULT.within()));
        Optional<String> sink = Optional.empty();
        if (problems.has("sink")) {
            String name = problems.string("sink").strip();
            Set<String> sinks = new java.util.TreeSet<>();
            for (String list : List.of("sinks", "webhooks")) {
                root.list(list).forEach(item -> item.find("name").ifPresent(n -> sinks.add(n.text().strip())));
            }
            if (!sinks.contains(name)) {
                throw problems.get("sink").error("must name one of the sinks " + sinks + " (was '"
                        + name + "')");
            }
            sink = Optional.of(name);
        }
        return new ProblemConfig(recurrence.count(), recurrence.within(), sameOutcome, sink);
    }

    private static Rule rule(ConfigNode node, int count, Duration within) {
        node.rejectUnknown(Set.of("count", "within"));
        return new Rule(node.integer("count", 2, 1000, count), node.duration("within", within));
    }
}
