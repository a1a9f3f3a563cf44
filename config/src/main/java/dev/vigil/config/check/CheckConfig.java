package dev.vigil.config.check;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One check the agent runs: what to probe, how often, and how long one run may take.
 *
 * @param id       unique within the agent, {@code [A-Za-z0-9._-]{1,128}}
 * @param interval time between scheduled runs, at least {@link #MIN_INTERVAL}
 * @param timeout  how long one run may take, &gt; 0 and &lt; {@code interval}
 * @param probe    the probe-specific settings
 */
public record CheckConfig(String id, Duration interval, Duration timeout, ProbeSpec probe) {
    /** The shortest interval a check may have. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** The interval of a check that names none. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** The pattern a check id must match. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Duration MAX_DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the id, the interval and that the timeout fits in the interval. */
    public CheckConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(probe, "probe");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("check id must match " + ID + " (was '" + id + "')");
        }
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval must be >= 100ms (was " + interval + ")");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("timeout must be > 0 and < interval (was " + timeout + ")");
        }
    }

    /** The timeout of a check that names none: 80% of the interval, at most 10 s. */
    public static Duration defaultTimeout(Duration interval) {
        Duration fourFifths = interval.multipliedBy(4).dividedBy(5);
        return fourFifths.compareTo(MAX_DEFAULT_TIMEOUT) < 0 ? fourFifths : MAX_DEFAULT_TIMEOUT;
    }
}
