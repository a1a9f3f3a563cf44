package dev.vigil.collector.incident.delivery;

import java.util.Objects;
import java.util.Optional;

/**
 * The state of one event's delivery to one webhook, as the API shows it.
 *
 * @param webhook   the webhook's name
 * @param event     which event
 * @param state     pending, delivered or failed
 * @param attempts  HTTP attempts made so far, ≥ 0
 * @param lastError what went wrong with the last failed attempt, if one did
 */
public record DeliveryStatus(String webhook, IncidentEventType event, DeliveryState state, int attempts,
        Optional<String> lastError) {

    /** Validates presence and the attempt count. */
    public DeliveryStatus {
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0 (was " + attempts + ")");
        }
    }
}
