package dev.vigil.collector.journal;

import dev.vigil.protocol.Sample;
import java.util.Objects;

/**
 * One entry of the collector's journal: a sample, who sent it, its index in the sender's journal and
 * when the collector received it.
 *
 * @param index               the entry's index in the collector's journal (Chronicle index, increasing)
 * @param agent               the name of the agent whose token authenticated the batch
 * @param agentIndex          the sample's index in that agent's journal, ≥ 0
 * @param receivedEpochMillis when the collector received it, from the collector's clock
 * @param sample              the sample
 */
public record JournalEntry(long index, String agent, long agentIndex, long receivedEpochMillis, Sample sample) {

    /** Validates presence and the agent index. */
    public JournalEntry {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(sample, "sample");
        if (agentIndex < 0) {
            throw new IllegalArgumentException("agentIndex must be >= 0 (was " + agentIndex + ")");
        }
    }
}
