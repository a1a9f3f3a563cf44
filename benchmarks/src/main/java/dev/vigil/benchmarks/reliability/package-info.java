/**
 * The reliability harness of issue "Nothing lost, nothing doubled": real agent and collector
 * processes on loopback, killed with SIGKILL at random moments, cut off for minutes, frozen with
 * SIGSTOP and starved of disk, and after each trial their two journals compared sample by sample.
 *
 * <p>Each trial runs on fresh data directories: a collector, an agent with many cheap {@code tcp}
 * checks against the harness's own accept-and-close listener (so the sample rate is known), and the
 * disturbance. It ends the same way every time ({@link dev.vigil.benchmarks.reliability.TrialRig#finish()}):
 * the agent is stopped gracefully and started once more with a configuration that adds almost no
 * samples, until its backlog is 0; both stop gracefully; then
 * {@link dev.vigil.benchmarks.reliability.JournalAudit} reads the agent's journal and the collector's
 * journal with Vigil's own journal classes and counts what was lost and what was doubled. Counters
 * that die with a process (the collector's absorbed resends, the agent's drops) are scraped right
 * before each kill and summed over incarnations
 * ({@link dev.vigil.benchmarks.reliability.IncarnationCounter}).
 *
 * <p>{@code benchmarks/reliability.sh} starts {@link dev.vigil.benchmarks.reliability.ReliabilityMain};
 * {@code docs/reliability.md} explains every trial and figure.
 */
package dev.vigil.benchmarks.reliability;
