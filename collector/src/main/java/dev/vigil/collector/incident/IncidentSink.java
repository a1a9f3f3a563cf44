package dev.vigil.collector.incident;

import io.vertx.core.Future;

/**
 * A place incidents are sent to. One class per kind of sink; retries, backoff, ordering and the
 * outbox live once, in {@link Outbox}, not in the sinks.
 */
interface IncidentSink {

    /** The sink's configured name, unique among sinks; part of the outbox's records. */
    String name();

    /**
     * Makes one attempt to deliver {@code event}. The returned future never fails: a failure is a
     * {@link SendResult}.
     */
    Future<SendResult> send(IncidentEvent event);
}
