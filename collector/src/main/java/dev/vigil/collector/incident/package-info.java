/**
 * Incidents and their delivery to the tools operators work in.
 *
 * <p><strong>Lifecycle.</strong> When a check goes DOWN the {@link dev.vigil.collector.incident.IncidentBook}
 * opens an incident; when it comes back UP the incident is resolved. The key is deterministic,
 * {@code <agent>/<check>@<outage start epoch millis>}, and the detection time is the receive time
 * stored in the journal entry of the confirming sample, so replaying the journal rebuilds the same
 * incidents with the same fields: one outage is one incident however often the collector restarts.
 *
 * <p><strong>Delivery.</strong> Each event (opened, resolved) goes to each sink through the persisted
 * {@link dev.vigil.collector.incident.Outbox}, the single place where retries, backoff, ordering and
 * the record of settled deliveries live; sinks only make one attempt each
 * ({@link dev.vigil.collector.incident.WebhookSink} signs and posts per Standard Webhooks). Delivery
 * is at least once: the outbox records a delivery after the receiver's 2xx, so a crash between the
 * two sends that event once more, with the same {@code webhook-id} for the receiver to deduplicate.
 *
 * <p><strong>Restart.</strong> The outbox log is read before the journal is replayed. Replayed events
 * whose delivery is recorded as settled are not sent again; the others are sent once the replay has
 * finished. A webhook configured for the first time receives the incidents opened after that, not
 * every incident in the journal's history.
 *
 * <p>Everything here runs on the collector verticle's event loop: the book is fed by the check board,
 * the outbox's timers and HTTP responses run on the same context.
 */
package dev.vigil.collector.incident;
