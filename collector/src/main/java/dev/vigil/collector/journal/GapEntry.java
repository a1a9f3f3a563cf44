package dev.vigil.collector.journal;

import dev.vigil.protocol.Gap;
import java.util.Objects;

/**
 * A gap entry of the collector's journal: an agent's notice that it lost samples it had taken (see
 * {@link Gap}), kept as evidence and so the loss is counted exactly once.
 *
 * @param index               the entry's index in the collector's journal
 * @param agent               the agent whose credential authenticated the batch
 * @param epoch               the epoch of the agent journal the gap belongs to, &gt; 0
 * @param receivedEpochMillis when the collector received it
 * @param gap                 the notice
 */
public record GapEntry(long index, String agent, long epoch, long receivedEpochMillis, Gap gap) {

    /** Validates presence and the epoch. */
    public GapEntry {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(gap, "gap");
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0 (was " + epoch + ")");
        }
    }
}
