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
 * probes ran. Samples that arrive late or out of order (several collectors, an agent replaying an old
 * journal) are applied as they come; ordering them by scheduled time is a later concern.
 *
 * <p>The {@link dev.vigil.collector.state.CheckBoard} tells its
 * {@link dev.vigil.collector.state.CheckListener}s (SLA figures, incidents) about every sample and the
 * transition it caused, so a live sample and a replayed one go through the same code.
 */
package dev.vigil.collector.state;
