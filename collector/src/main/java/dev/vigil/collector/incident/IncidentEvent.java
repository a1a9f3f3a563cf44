package dev.vigil.collector.incident;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Something to tell the sinks about an incident: the incident as it stood at that moment. Its id and
 * payload depend only on the incident and the event, so every attempt sends the same body.
 *
 * @param type     opened, updated, reminder or resolved
 * @param sequence 0 for opened and resolved; 1, 2, ... for the incident's updates and its reminders
 * @param incident the incident as of the event: open for all but RESOLVED
 */
public record IncidentEvent(IncidentEventType type, int sequence, Incident incident) {

    /** Validates that the incident matches the event. */
    public IncidentEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(incident, "incident");
        IncidentStatus expected = type == IncidentEventType.RESOLVED ? IncidentStatus.RESOLVED : IncidentStatus.OPEN;
        if (incident.status() != expected) {
            throw new IllegalArgumentException(type + " carries an incident that is " + incident.status());
        }
        boolean numbered = type == IncidentEventType.UPDATED || type == IncidentEventType.REMINDER;
        if (numbered ? sequence < 1 : sequence != 0) {
            throw new IllegalArgumentException(type + " cannot have sequence " + sequence);
        }
    }

    /** The event for an opened or resolved incident. */
    public static IncidentEvent of(IncidentEventType type, Incident incident) {
        return new IncidentEvent(type, 0, incident);
    }

    /**
     * The id of this event, the same on every attempt and after restarts: {@code <key>:opened},
     * {@code <key>:updated:<n>}, {@code <key>:reminder:<n>}, {@code <key>:resolved}.
     */
    public String eventId() {
        return incident.key() + ":" + type.label() + (sequence == 0 ? "" : ":" + sequence);
    }

    /** The generic payload: {@code {"type": ..., "dedupKey": <key>, "incident": {...}}}. */
    public JsonObject payload() {
        return new JsonObject()
                .put("type", type.type())
                .put("eventId", eventId())
                .put("dedupKey", incident.key())
                .put("incident", incident.toJson(OptionalLong.empty()));
    }
}
