/**
 * Prometheus exposition of the collector: JVM metrics, ingest, heartbeat and delivery counters, the
 * live latency histogram, the pipeline gauges, and the check, SLA and incident series.
 *
 * <p>A scrape never computes: it writes values that are already there. Counters, the latency histogram
 * and the pipeline gauges are updated as things happen; the incident book and the outbox keep their
 * counts (open incidents by kind and priority, pending deliveries per sink) as incidents and deliveries
 * change; the check and SLA figures are computed by {@link dev.vigil.collector.metrics.EngineFigures}
 * in steps of a few milliseconds on a timer, label values included, and published together. Everything
 * is read on the collector verticle's event loop, which owns that state ({@code GET /metrics}).
 *
 * <p>Series derived from the journal ({@code vigil_check_samples_total}, {@code vigil_incidents_opened_total},
 * {@code vigil_collector_journal_entries_total}, the figures) are rebuilt by the snapshot and the replay
 * and so survive a restart; the ingest, delivery and snapshot counters and the latency histogram count
 * what this process did and start at zero, which Prometheus treats as a counter reset.
 */
package dev.vigil.collector.metrics;
