package dev.vigil.collector.journal;

import dev.vigil.protocol.Sample;
import java.util.Objects;

/**
 * A sample entry of the collector's journal: the sample, who sent it, where it was in the sender's
 * journal and when the collector received it.
 *
 * @param index               the entry's index in the collector's journal (Chronicle index, increasing)
 * @param agent               the name of the agent whose credential authenticated the batch
 * @param epoch               the epoch of the agent's journal the sample came from, &gt; 0
 * @param agentIndex          the sample's index in that agent journal, ≥ 0
 * @param receivedEpochMillis when the collector received it, from the collector's clock
 * @param sample              the sample
 */
public record JournalEntry(long index, String agent, long epoch, long agentIndex, long receivedEpochMillis,
        Sample sample) {

    /** Validates presence, the epoch and the agent index. */
    public JournalEntry {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(sample, "sample");
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0 (was " + epoch + ")");
        }
        if (agentIndex < 0) {
            throw new IllegalArgumentException("agentIndex must be >= 0 (was " + agentIndex + ")");
        }
    }
}
