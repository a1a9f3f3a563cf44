package dev.vigil.agent.schedule;

import dev.vigil.protocol.Sample;

/** Receives what the scheduler produces: samples, and runs it had to skip. Called on event loops; must not block. */
public interface ScheduleListener {

    /** A run ended; {@code sample} is stamped with the run's scheduled time. */
    void sampleTaken(Sample sample);

    /**
     * {@code count} scheduled runs of {@code checkId} were skipped: the previous run was still in
     * flight, or the agent fell behind.
     */
    void runsSkipped(String checkId, int count);
}
