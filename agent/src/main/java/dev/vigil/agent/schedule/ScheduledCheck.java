package dev.vigil.agent.schedule;

import dev.vigil.agent.probe.Probe;
import java.time.Duration;
import java.util.Objects;

/**
 * A check as the scheduler sees it: its id, its interval and the probe that runs it.
 *
 * @param checkId  the check's id
 * @param interval time between scheduled runs, at least 1 ms
 * @param probe    the probe to run
 */
public record ScheduledCheck(String checkId, Duration interval, Probe probe) {

    /** Validates the interval. */
    public ScheduledCheck {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(probe, "probe");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be >= 1ms (was " + interval + ")");
        }
    }
}
