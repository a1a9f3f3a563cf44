package dev.vigil.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how often the agent fetches the checks its collector assigns it
 * ({@code collector.assignments}).
 *
 * @param enabled      whether the agent asks the collector for checks; on unless turned off
 * @param pollInterval the time between two requests while the collector answers, at least
 *                     {@link #MIN_POLL_INTERVAL}
 */
public record AssignmentSettings(boolean enabled, Duration pollInterval) {
    /** The shortest poll interval. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);
    /** The poll interval unless set otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    /** Assignments on, fetched every 30 s. */
    public static final AssignmentSettings DEFAULT = new AssignmentSettings(true, DEFAULT_POLL_INTERVAL);
    /** No assignments: the agent runs its local checks only. */
    public static final AssignmentSettings DISABLED = new AssignmentSettings(false, DEFAULT_POLL_INTERVAL);

    /** Validates the poll interval. */
    public AssignmentSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0) {
            throw new IllegalArgumentException("assignments poll interval must be >= 1s (was " + pollInterval + ")");
        }
    }
}
