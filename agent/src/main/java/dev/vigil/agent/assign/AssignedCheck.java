package dev.vigil.agent.assign;

import dev.vigil.config.check.CheckConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One check of an {@link Assignment}: the check as read, and its definition as the collector sent it.
 *
 * @param config     the check
 * @param definition its fields as sent (maps, lists, text, nulls): two versions of a check are the same
 *                   check exactly when their definitions are equal, which the records cannot tell
 *                   (a compiled {@link java.util.regex.Pattern} has no equality)
 */
public record AssignedCheck(CheckConfig config, Map<String, Object> definition) {

    /** Requires both and wraps the definition read-only. */
    public AssignedCheck {
        Objects.requireNonNull(config, "config");
        definition = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(definition, "definition")));
    }

    /** The check's id. */
    public String id() {
        return config.id();
    }
}
