package dev.vigil.collector.incident.delivery;

import java.util.Locale;

/** Where the delivery of one event to one sink stands. */
public enum DeliveryState {
    /** Not yet settled: waiting for its turn, its first attempt or a retry. */
    PENDING,
    /** The sink accepted it. Final. */
    DELIVERED,
    /** Dead-lettered: refused for good, the sink gone (410), or the opening before it failed. Final. */
    FAILED,
    /** Not sent because it no longer mattered: the incident resolved before it was delivered. Final. */
    CANCELLED;

    /** The form used in JSON and metrics: {@code pending}, {@code delivered}, {@code failed}, {@code cancelled}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the delivery will not change again. */
    public boolean settled() {
        return this != PENDING;
    }
}
