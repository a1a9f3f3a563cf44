/**
 * SLA figures. Pure domain code: it imports no Vert.x, Netty or metrics types, takes "now" as a value
 * or from an injected {@link java.time.InstantSource}, and is adapted to HTTP and Prometheus elsewhere.
 * The operator-facing reference with worked examples is {@code docs/sla.md}.
 *
 * <p><strong>Time.</strong> Epoch milliseconds, half-open intervals {@code [start, end)}
 * ({@link dev.vigil.collector.sla.IntervalSet}); a sample counts at its scheduled time. Wall-clock
 * times (calendar hours, recurring maintenance, period starts) become instants by the zone's rules: a
 * time in a daylight-saving gap moves forward by the gap, one in an overlap takes the earlier offset.
 *
 * <p><strong>State over time.</strong> A {@link dev.vigil.collector.sla.CheckTimeline} holds one check
 * location: DOWN from the hysteresis of {@code dev.vigil.collector.state.CheckStateMachine} (an outage
 * runs from the first failed sample of the confirming run to the first successful sample of the
 * recovering run), NO_DATA where the agent was silent for longer than {@code no_data_after} (and
 * before its first sample), UP otherwise. A {@link dev.vigil.collector.sla.QuorumTimeline} combines
 * locations (DOWN if at least k are DOWN, UP if fewer than k are DOWN or NO_DATA together, else
 * NO_DATA) and a {@link dev.vigil.collector.sla.ServiceTimeline} checks (DOWN if any is DOWN, else
 * NO_DATA if any is, else UP). At every level an outage is a maximal not-UP interval containing DOWN
 * time, from its first DOWN instant to where UP begins; its DOWN parts are downtime, its NO_DATA parts
 * no-data time.
 *
 * <p><strong>Figures.</strong> {@link dev.vigil.collector.sla.SlaEvaluator} turns a composed timeline,
 * a {@link dev.vigil.collector.sla.ServiceCalendar}, maintenance windows and a latency source into an
 * {@link dev.vigil.collector.sla.SlaResult}: agreed time = range ∩ calendar hours − maintenance, the
 * no-data policy deciding whether silent time leaves it, counts as down or as up; availability,
 * objectives with error budgets, outages with MTTR, MTBF and MTTD; and burn rates over the
 * multi-window table scaled to the period.
 *
 * <p><strong>Latency.</strong> A {@link dev.vigil.collector.sla.CheckLatency} keeps one check
 * location's samples in 15-minute epoch-aligned buckets (every IANA offset since 1972 is a multiple of
 * 15 minutes), each a sample count, a failure count and the successful latencies as HdrHistogram
 * indexes (microseconds, 1 µs .. 1 h, 3 significant digits), packed per UTC day with day and week
 * summaries. A view merges the buckets whose start lies in the given time, so a month reads a few
 * summaries and the edges; the answers equal a flat HdrHistogram's. Measured costs and the encoding
 * are in {@code docs/sla-latency.md}.
 *
 * <p>Everything here is single-threaded and driven by values; the collector's
 * {@code dev.vigil.collector.engine} feeds it on its event loop and snapshots it.
 */
package dev.vigil.collector.sla;
