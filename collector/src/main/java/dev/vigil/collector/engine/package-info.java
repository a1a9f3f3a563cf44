/**
 * The live SLA engine: the state and latency of every check location, fed sample by sample by the
 * {@link dev.vigil.collector.state.CheckBoard}, composed into services as the
 * {@link dev.vigil.collector.catalogue.Catalogue} says, and evaluated by
 * {@link dev.vigil.collector.sla.SlaEvaluator} for the API, the metrics and the reports.
 *
 * <p>Per check location the engine keeps a {@link dev.vigil.collector.sla.CheckTimeline} (state change
 * points, 13 months) and a {@link dev.vigil.collector.sla.CheckLatency} (15-minute latency buckets,
 * 35 days, longer when an SLA's period needs it). Services are not stored: a service's timeline is
 * composed from its checks' timelines when asked, so a late batch from one location, a catalogue
 * change or a new quorum applies to every figure at once, and the same samples always give the same
 * numbers. The engine's state is part of the collector's snapshot, so history older than the journal
 * survives restarts.
 *
 * <p>Threading: everything runs on the collector verticle's event loop, like the board that feeds it.
 */
package dev.vigil.collector.engine;
