package dev.vigil.collector.state;

/** Whether a check is up, down, or has not yet seen enough samples to say. */
public enum CheckState {
    /** Fewer consecutive samples of one kind than either threshold since the check first reported. */
    UNKNOWN,
    /** The last state change was to up: {@code successes_to_close} consecutive successes. */
    UP,
    /** The last state change was to down: {@code failures_to_open} consecutive failures. */
    DOWN
}
