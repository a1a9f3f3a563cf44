/**
 * Prometheus exposition of the collector: JVM metrics, ingest and webhook counters, and gauges read
 * from the checks, SLA figures, incidents and journal at scrape time.
 *
 * <p>The gauges are callbacks over state owned by the collector verticle's event loop, so the
 * registry is scraped there ({@code GET /metrics}). Series derived from the journal
 * ({@code vigil_check_samples_total}, {@code vigil_incidents_opened_total},
 * {@code vigil_collector_journal_entries_total}) are rebuilt by the replay and so survive a restart;
 * the ingest and webhook counters count what this process did and start at zero, which Prometheus
 * treats as a counter reset.
 */
package dev.vigil.collector.metrics;
