package dev.vigil.protocol;

import java.util.Objects;

/**
 * A sample together with the index it has in the agent's journal. The pair (agent, journalIndex)
 * identifies a sample exactly once across retries, restarts and replays.
 *
 * @param journalIndex the sample's index in the agent's journal, ≥ 0, increasing in journal order
 * @param sample       the sample
 */
public record SampleRecord(long journalIndex, Sample sample) {

    /** Validates the index and the sample's presence. */
    public SampleRecord {
        if (journalIndex < 0) {
            throw new IllegalArgumentException("journalIndex must be >= 0 (was " + journalIndex + ")");
        }
        Objects.requireNonNull(sample, "sample");
    }
}
