package dev.vigil.collector.assignment;

import dev.vigil.config.check.CheckConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One check of {@code collector.yaml}'s {@code checks:} section: the check as the agents will read it,
 * the definition as written (which is what the agents are sent), and the agents that run it.
 *
 * @param check      the check, validated with the agent's own rules
 * @param definition the check's fields as written, without {@code agents}, environment variables
 *                   resolved: maps in file order, lists, text and nulls; the agents parse it with the
 *                   readers that produced {@code check}
 * @param agents     the configured agents that run the check, at least one, no repeats
 */
public record AssignedCheck(CheckConfig check, Map<String, Object> definition, List<String> agents) {

    /** Requires every part and at least one agent; copies the agents and wraps the definition read-only. */
    public AssignedCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(definition, "definition");
        agents = List.copyOf(agents);
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("check " + check.id() + " must be assigned to at least one agent");
        }
        if (agents.stream().distinct().count() != agents.size()) {
            throw new IllegalArgumentException("check " + check.id() + " names an agent twice (" + agents + ")");
        }
        if (!check.id().equals(definition.get("id"))) {
            throw new IllegalArgumentException("the definition of check " + check.id() + " has id "
                    + definition.get("id"));
        }
        // Kept in file order (Map.copyOf would not): the order is what agents see and what the version hashes.
        definition = Collections.unmodifiableMap(new LinkedHashMap<>(definition));
    }
}
