package dev.vigil.collector.change;

import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code changes} section of {@code collector.yaml}.
 *
 * @param inducedWindow how long after a change an outage on its service (or a service depending on it) is
 *                      flagged as possibly change-induced; 1 minute to 7 days
 */
public record ChangeConfig(Duration inducedWindow) {
    /** The window used when none is configured. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    /** The settings when {@code changes} is absent. */
    public static final ChangeConfig DEFAULT = new ChangeConfig(DEFAULT_WINDOW);

    /** Validates the window's range. */
    public ChangeConfig {
        Objects.requireNonNull(inducedWindow, "inducedWindow");
        if (inducedWindow.compareTo(Duration.ofMinutes(1)) < 0 || inducedWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("changes.induced_window must be 1m..7d (was " + inducedWindow + ")");
        }
    }

    /** Reads the {@code changes} key of {@code root}, the whole {@code collector.yaml}; absent means defaults. */
    public static ChangeConfig read(ConfigNode root) {
        if (!root.has("changes")) {
            return DEFAULT;
        }
        ConfigNode changes = root.get("changes");
        changes.rejectUnknown(Set.of("induced_window"));
        Duration window = changes.duration("induced_window", DEFAULT_WINDOW);
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
            throw changes.get("induced_window").error("must be 1m..7d (was "
                    + changes.get("induced_window").text().strip() + ")");
        }
        return new ChangeConfig(window);
    }
}
