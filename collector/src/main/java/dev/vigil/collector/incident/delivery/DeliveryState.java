package dev.vigil.collector.incident.delivery;

import java.util.Locale;

/** Where a delivery of one event to one webhook stands. */
public enum DeliveryState {
    /** Not yet accepted: waiting for its first attempt, for a retry, or for the opened event before it. */
    PENDING,
    /** The webhook answered 2xx. Final. */
    DELIVERED,
    /** The webhook refused it for good (a 4xx other than 408, 425 and 429), or its opened event failed. Final. */
    FAILED;

    /** The form used in JSON: {@code pending}, {@code delivered}, {@code failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
