/**
 * Delivery of incident events to the tools, the one place where it is done for every tool.
 *
 * <p>The {@link dev.vigil.collector.incident.delivery.Outbox} keeps a lane per incident and sink: events
 * go one at a time, in order, retried with {@link dev.vigil.collector.incident.delivery.Backoff} and the
 * tool's {@code Retry-After}, dead-lettered when refused, and a resolution cancels the retries waiting
 * before it so that no tool receives a trigger after its resolve. What it settled is in the
 * {@link dev.vigil.collector.incident.delivery.OutboxLog} before it changes in memory, so a restart
 * sends only what was not settled. Delivery is at least once; every tool's own dedup field is set from
 * the incident key.
 *
 * <p>Sinks make one attempt per call through {@link dev.vigil.collector.incident.delivery.SinkHttp}, the
 * only HTTP client they use: it resolves a name once, checks every address against the
 * {@link dev.vigil.collector.incident.delivery.EgressPolicy} (server-side request forgery) and connects to
 * the checked one, never follows redirects, and bounds time and response size.
 * {@link dev.vigil.collector.incident.delivery.HttpVerdict} classifies every answer the same way for
 * every tool.
 *
 * <p>Everything runs on the collector verticle's event loop, where the outbox's timers and the HTTP
 * answers also run.
 */
package dev.vigil.collector.incident.delivery;
