package dev.vigil.collector.assignment;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The checks the collector assigns to its agents, from {@code collector.yaml}'s {@code checks:}
 * section; {@link #NONE} when it has none.
 *
 * @param checks the assigned checks, ids unique
 */
public record Assignments(List<AssignedCheck> checks) {
    /** No check assigned to any agent. */
    public static final Assignments NONE = new Assignments(List.of());

    /** Copies the list and requires unique check ids. */
    public Assignments {
        checks = List.copyOf(checks);
        Set<String> ids = new HashSet<>();
        for (AssignedCheck check : checks) {
            if (!ids.add(check.check().id())) {
                throw new IllegalArgumentException("check id '" + check.check().id() + "' is assigned twice");
            }
        }
    }

    /** The checks {@code agent} runs, in file order. */
    public List<AssignedCheck> forAgent(String agent) {
        Objects.requireNonNull(agent, "agent");
        return checks.stream().filter(check -> check.agents().contains(agent)).toList();
    }
}
