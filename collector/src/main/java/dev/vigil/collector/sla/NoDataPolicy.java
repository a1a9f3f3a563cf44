package dev.vigil.collector.sla;

/** How an SLA treats time when its service's state is unknown because agents were silent. */
public enum NoDataPolicy {
    /** The default: no-data time leaves the agreed service time, counting neither up nor down. */
    EXCLUDE,
    /** No-data time counts as downtime. */
    DOWN,
    /** No-data time counts as up time. */
    UP
}
