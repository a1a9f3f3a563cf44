package dev.vigil.collector.assignment;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.CheckReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code collector.yaml}'s {@code checks:} section: each check in exactly the agent's syntax,
 * validated by the agent's own {@link CheckReader} (so the messages are the agent's), plus
 * {@code agents:}, the configured agents that run it.
 */
public final class AssignmentsReader {
    /** The key of the agents a check is assigned to. */
    static final String AGENTS = "agents";

    private AssignmentsReader() {
    }

    /**
     * The assignments under {@code root}'s {@code checks:}, {@link Assignments#NONE} when there is none.
     *
     * @param agentNames the names of the configured agents
     * @throws dev.vigil.config.ConfigException naming the field, the value and {@code file:line}
     */
    public static Assignments read(ConfigNode root, Collection<String> agentNames) {
        List<ConfigNode> items = root.list("checks");
        List<CheckConfig> checks = CheckReader.assignedAtCollector().checks(items, Set.of(AGENTS));
        List<AssignedCheck> assigned = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigNode item = items.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = new LinkedHashMap<>((Map<String, Object>) item.plain());
            definition.remove(AGENTS);
            assigned.add(new AssignedCheck(checks.get(i), definition, agents(item, agentNames)));
        }
        return new Assignments(assigned);
    }

    private static List<String> agents(ConfigNode check, Collection<String> configured) {
        ConfigNode list = check.get(AGENTS);
        List<ConfigNode> items = list.items();
        if (items.isEmpty()) {
            throw list.error("must name at least one agent");
        }
        List<String> agents = new ArrayList<>();
        Map<String, String> pathByName = new HashMap<>();
        for (ConfigNode item : items) {
            String name = item.text().trim();
            if (!configured.contains(name)) {
                throw item.error("names no configured agent (was '" + name + "'; configured: "
                        + String.join(", ", new TreeSet<>(configured)) + ")");
            }
            String previous = pathByName.putIfAbsent(name, item.path());
            if (previous != null) {
                throw item.error("names agent '" + name + "' a second time, as " + previous);
            }
            agents.add(name);
        }
        return agents;
    }
}
