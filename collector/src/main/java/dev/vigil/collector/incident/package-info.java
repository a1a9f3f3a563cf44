/**
 * Incidents: what opens them, how they are prioritised, muted and followed, and what is recorded of
 * them. Delivery to the tools is in {@code incident.delivery} (the outbox, the egress-guarded HTTP
 * client, the shared verdicts), one class per tool in {@code incident.sink}.
 *
 * <p><strong>Lifecycle.</strong> The {@link dev.vigil.collector.incident.IncidentBook} follows the
 * check board: when a sample changes a check location's state, each service running that check (or
 * the location itself, when it belongs to no service) is evaluated on the SLA engine's timelines as
 * of the sample's receive time. Every outage opens one incident whose key is derived from the data
 * ({@link dev.vigil.collector.incident.IncidentKeys}), and its detection time is the receive time of
 * the confirming sample, so a replay of the journal or a restart from a snapshot rebuilds the same
 * incidents with the same keys and times. Burn-rate and spent-budget incidents come from the SLA
 * figures, alerts from Alertmanager, acknowledgements from the API or the tools: none of them can be
 * replayed from the journal, so the {@link dev.vigil.collector.incident.IncidentLog} records them.
 *
 * <p><strong>Priority</strong> is impact (the service's tier) × urgency (what is down) through the
 * {@link dev.vigil.collector.incident.PriorityMatrix}, fixed at opening. <strong>Muting</strong> by
 * maintenance or a down dependency holds an incident's opening, never the resolution of one that was
 * sent. <strong>Flapping</strong> keeps one incident open across the outages of a flapping service.
 *
 * <p>Everything here runs on the collector verticle's event loop: the book is fed by the check board,
 * by the metrics' figure computation and by the API's handlers.
 */
package dev.vigil.collector.incident;
