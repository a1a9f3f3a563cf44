package dev.vigil.agent.assign;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.CheckReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a collector assigns to this agent, at one version: the document of
 * {@code GET /api/v1/assignments}, read with the readers of the agent's own checks.
 *
 * @param version the collector's version of the document: hexadecimal, changes when the checks do
 * @param checks  the checks, ids unique
 */
public record Assignment(String version, List<AssignedCheck> checks) {
    /** The shape of a version. */
    public static final Pattern VERSION = Pattern.compile("[0-9a-f]{1,64}");
    private static final Set<String> FIELDS = Set.of("agent", "version", "checks");

    /** Validates the version and copies the checks. */
    public Assignment {
        Objects.requireNonNull(version, "version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("assignment version must be 1..64 hexadecimal digits (was '"
                    + version + "')");
        }
        checks = List.copyOf(checks);
    }

    /**
     * Reads the document {@code text} (JSON) addressed to agent {@code agent}; {@code fileName} names it in
     * errors. Every check is validated as a local check is, except that file names must be absolute.
     *
     * @throws ConfigException naming the field, the value and {@code fileName:line} of the first error
     */
    public static Assignment read(String fileName, String text, String agent) {
        ConfigNode root = ConfigNode.parseVerbatim(fileName, text);
        root.rejectUnknown(FIELDS);
        String addressee = root.string("agent");
        if (!addressee.equals(agent)) {
            throw root.get("agent").error("is for another agent (was '" + addressee + "'; this agent is '"
                    + agent + "')");
        }
        String version = root.string("version").trim();
        if (!VERSION.matcher(version).matches()) {
            throw root.get("version").error("must be 1..64 hexadecimal digits (was '" + version + "')");
        }
        List<ConfigNode> items = root.get("checks").items();
        List<CheckConfig> configs = CheckReader.assignedOnAgent().checks(items, Set.of());
        List<AssignedCheck> checks = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) items.get(i).plain();
            checks.add(new AssignedCheck(configs.get(i), definition));
        }
        return new Assignment(version, checks);
    }
}
