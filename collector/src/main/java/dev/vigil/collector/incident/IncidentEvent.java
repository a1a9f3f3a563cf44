package dev.vigil.collector.incident;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Something to tell the incident's sinks: the incident as it stood when it was opened or resolved.
 * Its payload depends only on the incident, so every retry and every restart sends the same body.
 *
 * @param type     opened or resolved
 * @param incident the incident as of the event: open for OPENED, resolved for RESOLVED
 */
public record IncidentEvent(IncidentEventType type, Incident incident) {

    /** Validates that the snapshot matches the event. */
    public IncidentEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(incident, "incident");
        IncidentStatus expected = type == IncidentEventType.OPENED ? IncidentStatus.OPEN : IncidentStatus.RESOLVED;
        if (incident.status() != expected) {
            throw new IllegalArgumentException(type + " carries an incident that is " + incident.status());
        }
    }

    /** The id of this event, the same on every attempt and after restarts: {@code <key>:<opened|resolved>}. */
    public String eventId() {
        return incident.key() + ":" + type.label();
    }

    /** The payload: {@code {"type": ..., "dedupKey": <key>, "incident": {...}}}. */
    public JsonObject payload() {
        return new JsonObject()
                .put("type", type.type())
                .put("dedupKey", incident.key())
                .put("incident", incident.toJson(OptionalLong.empty()));
    }
}
