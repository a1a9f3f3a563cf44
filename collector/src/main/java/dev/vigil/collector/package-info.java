/**
 * The Vigil collector: receives samples from agents, keeps them in its journal, derives check state,
 * SLA figures and incidents from them, and serves them over HTTP and Prometheus.
 *
 * <p>This package only assembles. {@link dev.vigil.collector.CollectorMain} reads the command line
 * and the configuration; {@link dev.vigil.collector.Collector} is the in-process handle (start,
 * port, close) used by the main class, end-to-end tests and benchmarks; the collector verticle wires
 * journal, outbox, checks, SLA engine, incidents, ingest and API on one event loop, which owns all
 * mutable state. The work is done in the packages below: {@code config}, {@code ingest},
 * {@code journal}, {@code state}, {@code sla}, {@code incident}, {@code api}, {@code metrics}.
 *
 * <p>Start-up is: configuration, Vert.x, journal and outbox, listen, replay of the whole journal
 * (with {@code /healthz} answering "starting"), then ingest and webhook delivery open.
 */
package dev.vigil.collector;
