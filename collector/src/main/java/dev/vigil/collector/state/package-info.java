/**
 * Per-check state: UNKNOWN, UP or DOWN, with hysteresis. Pure Java, no I/O framework.
 *
 * <p>A check is keyed by (agent, check id). It is DOWN after {@code failures_to_open} consecutive
 * failed samples and UP after {@code successes_to_close} consecutive successes; a new check stays
 * UNKNOWN until one of the two runs is reached, so its first samples neither open nor close anything.
 * A state change counts from the scheduled time of the <em>first</em> sample of the run that reached
 * the threshold: an <strong>outage</strong> runs from the first failed sample of the confirming run
 * to the first successful sample of the recovering run. A shorter run of the other kind in between
 * is a blip: it neither ends an outage nor starts one.
 *
 * <p>Samples of one check are applied in the order the collector received them. The agent ships its
 * journal in order and moves on only after an ack, so for one agent that is the order in which its
 * probes ran. A sample scheduled at or before the last one applied to its check (the agent's clock
 * stepped back, two hosts sharing one agent's token) is <em>not applied</em>: an outage must not end
 * before it started. Nor is a sample scheduled more than 5 minutes after the collector received it, or
 * more than 35 days before (beyond every window). Such samples stay in the journal and are acked; the
 * decision reads only the journal entry (its receive time included) and what was applied before it,
 * so a replay makes it again, identically. Re-ordering late samples by scheduled time is a later
 * concern.
 *
 * <p>The {@link dev.vigil.collector.state.CheckBoard} tells its
 * {@link dev.vigil.collector.state.CheckListener}s (SLA figures, incidents) about every sample and the
 * transition it caused, so a live sample and a replayed one go through the same code.
 */
package dev.vigil.collector.state;
