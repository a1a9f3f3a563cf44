/**
 * Scheduling checks, and why samples carry the time a run was <em>scheduled</em>.
 *
 * <p>Each check runs at a fixed rate: at {@code k × interval + offset} ms since the epoch, with an
 * offset derived from the check id ({@link dev.vigil.agent.schedule.CheckSchedule}). Checks with the
 * same interval are spread across it instead of firing together, and a restart keeps each check's
 * phase, so series from before and after line up.
 *
 * <p>A sample is stamped with its scheduled time ({@code scheduledEpochMillis}) and records how late
 * the run actually started ({@code startLagNanos}). If the agent stalls (GC, an overloaded host), the
 * stall shows as lag on the samples it delayed instead of silently moving them, and the series keeps
 * its regular grid: this avoids coordinated omission, where a slow measurer under-reports exactly
 * the moments that were slow.
 *
 * <p>A run that is still in flight when the check is due again is not doubled up: the new slot is
 * skipped and counted ({@code vigil_agent_probe_runs_skipped_total}). Neither is a long stall caught
 * up with a burst: the slots it swallowed are skipped and counted, and the latest one runs late.
 *
 * <p>Starts are timed with {@code EventLoop.schedule} against monotonic deadlines, not with Netty's
 * {@code HashedWheelTimer}, whose 100 ms tick would make every start up to a tick late.
 */
package dev.vigil.agent.schedule;
