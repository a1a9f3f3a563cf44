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
 * <p><strong>The trailing-window engine.</strong> {@code SlaEngine} and its helpers below are the
 * earlier engine, still wired into the collector until the classes above replace it:
 *
 * Availability, outages, MTTR and latency percentiles per check over the trailing 1 h, 24 h and 30 d.
 *
 * <p><strong>Definitions, as implemented.</strong> For a window of length {@code W} ending now:
 * <ul>
 *   <li><em>Observed time</em> = the window ∩ [scheduled time of the check's first sample, now]. Time
 *       before a check first reported is not counted at all; time when an agent was silent after that
 *       counts as observed (the SLA's {@code no_data} policy comes later).</li>
 *   <li><em>Outage</em>: from the scheduled time of the first failed sample of the run that made the
 *       check DOWN to that of the first successful sample of the run that made it UP again (see
 *       {@code dev.vigil.collector.state}). An ongoing outage counts up to now.</li>
 *   <li><em>Availability</em> = 1 − (outage time ∩ observed time) / observed time; none while nothing
 *       has been observed.</li>
 *   <li><em>Outages</em>: the outages overlapping the window, the ongoing one included.
 *       <em>MTTR</em>: the mean full duration of the outages that ended within the window.</li>
 *   <li><em>Samples</em> and <em>latency percentiles</em> (p50, p95, p99 of the total time of the
 *       successful samples) cover the window's buckets: the bucket holding now and the
 *       {@code buckets − 1} before it, epoch-aligned (1 min buckets for 1 h, 1 h for 24 h, UTC days
 *       for 30 d). That span is between {@code W − bucket} and {@code W} long, so these two figures are
 *       bucket-granular while availability is exact to the millisecond.</li>
 * </ul>
 *
 * <p><strong>Latency histograms.</strong> HdrHistogram, microseconds, 1 µs to 1 h, 3 significant
 * digits: a reported percentile is at most 0.1 % above the true one. Each check keeps one ring per
 * window: 60 one-minute buckets, 24 one-hour buckets, 30 one-day buckets, each allocated on first use
 * and recycled when the ring comes round. Minute buckets hold their latencies as plain values, merged
 * into a scratch histogram per query ({@code ValueRing}); hour and day buckets
 * hold {@code PackedHistogram}s plus a running total per window, from which an expiring bucket is
 * subtracted ({@code HistogramRing}). A flat histogram of this range and
 * precision takes 189 KB, which would make 21 MB per check for 114 buckets; measured here, a check
 * sampled every 10 s takes about 0.55 MB after 30 days (1.1 MB at one sample a second), applying a
 * sample costs a few microseconds and a query of all three windows a few milliseconds. A compact,
 * mergeable representation, persisted instead of rebuilt by replay, comes later.
 *
 * <p>Samples are taken in the order received. A sample older than the bucket now occupying its ring
 * slot no longer counts in the latency figures; re-ordering late samples comes later.
 */
package dev.vigil.collector.sla;
