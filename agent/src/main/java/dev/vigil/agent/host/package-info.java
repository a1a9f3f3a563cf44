/**
 * The agent's own host, as Linux reports it in {@code /proc}: CPU time counters, memory and swap,
 * load average, uptime and the mount table, plus the space of mounted file systems. The readers
 * block (briefly; a statvfs of a hung mount may block for long), so they run on the probe
 * factory's host reader thread, never on an event loop.
 *
 * <p>The {@code /proc} root is a parameter so that tests feed crafted files; figures come back in
 * base units (bytes, seconds, clock ticks) and shares as ratios 0..1.
 */
package dev.vigil.agent.host;
