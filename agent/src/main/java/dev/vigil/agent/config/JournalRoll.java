package dev.vigil.agent.config;

import java.time.Duration;
import java.util.Locale;

/**
 * How often the agent's journal starts a new file. Each file (a cycle) is the unit of deletion: a
 * fully acknowledged cycle is deleted as one file, and the disk budget drops the oldest cycle as a
 * whole, so a shorter roll frees space in smaller steps at the cost of more files.
 */
public enum JournalRoll {
    /** One file a minute. */
    MINUTELY(Duration.ofMinutes(1)),
    /** One file every five minutes. */
    FIVE_MINUTELY(Duration.ofMinutes(5)),
    /** One file every ten minutes. */
    TEN_MINUTELY(Duration.ofMinutes(10)),
    /** One file every half hour. */
    HALF_HOURLY(Duration.ofMinutes(30)),
    /** One file an hour, the default. */
    HOURLY(Duration.ofHours(1)),
    /** One file a UTC day. */
    DAILY(Duration.ofDays(1));

    private final Duration length;

    JournalRoll(Duration length) {
        this.length = length;
    }

    /** How long one cycle lasts. */
    public Duration length() {
        return length;
    }

    /** The name used in the configuration file, e.g. {@code five_minutely}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
