package dev.vigil.collector.sla;

/** The state of a check location, a check or a service at some instant. */
public enum TimelineState {
    /**
     * Only as a current state: no sample yet, or not yet enough consecutive samples of one kind to
     * confirm a state. For time accounting such time counts as UP (a later DOWN dates back to its run's
     * start anyway).
     */
    UNKNOWN,
    /** Up: the time counts as available. */
    UP,
    /** Down: the time counts as downtime. */
    DOWN,
    /** No data: the agents were silent, so the state is not known; the SLA's no-data policy decides. */
    NO_DATA
}
