package dev.vigil.collector.state;

import java.util.Objects;

/**
 * A change of a check's state, caused by the sample that reached a threshold.
 *
 * @param from        the state before
 * @param to          the state after, different from {@code from} and never UNKNOWN
 * @param atEpochMillis when the change counts from: the scheduled time of the <em>first</em> sample of
 *                    the run that reached the threshold (for DOWN, the outage start; for UP after DOWN,
 *                    the outage end)
 */
public record Transition(CheckState from, CheckState to, long atEpochMillis) {

    /** Validates that the transition changes the state to a known one. */
    public Transition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from == to || to == CheckState.UNKNOWN) {
            throw new IllegalArgumentException("not a transition: " + from + " -> " + to);
        }
    }

    /** Whether this transition starts an outage. */
    public boolean wentDown() {
        return to == CheckState.DOWN;
    }

    /** Whether this transition ends an outage (UP after DOWN; UP after UNKNOWN ends nothing). */
    public boolean recovered() {
        return from == CheckState.DOWN && to == CheckState.UP;
    }
}
