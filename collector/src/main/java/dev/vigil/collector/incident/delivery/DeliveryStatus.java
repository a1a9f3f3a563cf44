package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.incident.IncidentEventType;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one event's delivery to one sink, as the API shows it.
 *
 * @param sink      the sink's name
 * @param eventId   the event's id
 * @param event     which kind of event
 * @param state     pending, delivered, failed or cancelled
 * @param attempts  attempts made so far, ≥ 0
 * @param lastError what went wrong with the last failed attempt, or why it was dead-lettered or cancelled
 */
public record DeliveryStatus(String sink, String eventId, IncidentEventType event, DeliveryState state, int attempts,
        Optional<String> lastError) {

    /** Validates presence and the attempt count. */
    public DeliveryStatus {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0 (was " + attempts + ")");
        }
    }
}
