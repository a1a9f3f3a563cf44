package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * A place incidents are sent to: one class per kind of tool, in {@code dev.vigil.collector.incident.sink}.
 * Retries, backoff, ordering, routing and the durable record of deliveries live once, in
 * {@link Outbox}, not in the sinks; a sink makes one attempt per call, sets the tool's own dedup field
 * from the incident key, and says how the attempt ended.
 */
public interface IncidentSink {

    /** The sink's configured name, unique among sinks; part of the outbox's records. */
    String name();

    /**
     * Makes one attempt to deliver {@code event}. The returned future never fails: every failure is a
     * {@link SendResult} (a failed future is treated as a retryable error, a thrown exception as a bug).
     */
    Future<SendResult> send(IncidentEvent event);

    /**
     * How often an incident's delivered opening must be sent again while it stays open, for tools that
     * expire what is not repeated (Alertmanager); empty for tools that keep it until resolved.
     */
    default Optional<Duration> resendWhileOpen() {
        return Optional.empty();
    }

    /**
     * Reads back whether someone acknowledged {@code incident} in the tool, where the tool allows it
     * (Opsgenie, ServiceNow, Jira). The future never fails: an error is an empty answer, tried again later.
     */
    default Future<Optional<Acknowledgement>> readAcknowledgement(Incident incident) {
        return Future.succeededFuture(Optional.empty());
    }
}
