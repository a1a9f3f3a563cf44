/**
 * The collector's HTTP read side: checks with their SLA figures, incidents with their deliveries,
 * health and Prometheus metrics, and the JSON error answer every route shares.
 *
 * <p>Routes only read and format: the state they show is owned by the collector verticle's event
 * loop, where the routes also run, so no lock is needed and a response is a consistent snapshot.
 * Until the journal replay has finished, {@code /healthz} answers 503 {@code {"status":"starting"}}
 * and the API answers 503, so nobody reads half-rebuilt figures.
 */
package dev.vigil.collector.api;
