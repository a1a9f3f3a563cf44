/**
 * One class per tool incidents are sent to, each behind {@link dev.vigil.collector.incident.delivery.IncidentSink}
 * and made by {@link dev.vigil.collector.incident.sink.IncidentSinks} from its configuration record.
 * A sink maps an incident event to the tool's API, sets the tool's own dedup field from the incident key
 * ({@code dedup_key}, {@code alias}, labels, {@code correlation_id}, a Jira label, {@code webhook-id}),
 * makes one attempt and says how it ended; it never retries, waits or keeps state between attempts.
 * Tools without an idempotent create (ServiceNow, Jira) are looked up before every create.
 * {@code docs/sinks/} describes each.
 */
package dev.vigil.collector.incident.sink;
