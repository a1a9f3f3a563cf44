/**
 * The Vigil agent: {@link dev.vigil.agent.AgentMain} reads the command line and the configuration,
 * {@link dev.vigil.agent.Agent} wires the parts together and owns the one Netty event loop group
 * every part borrows.
 *
 * <p>A sample's path: the scheduler starts a probe on an event loop at the check's scheduled time;
 * the result, stamped with that time, is handed to the journal thread, appended to the journal, and
 * only then counted in the metrics; the shipper, woken by the append, sends it to the collector and
 * moves its acknowledged position when the collector confirms.
 */
package dev.vigil.agent;
