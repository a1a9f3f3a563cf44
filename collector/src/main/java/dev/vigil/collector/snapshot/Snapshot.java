package dev.vigil.collector.snapshot;

import java.util.Objects;

/**
 * A snapshot as stored: the journal index it includes, when it was taken, and its parts' bytes.
 *
 * @param journalIndex     the index of the last collector journal entry the state includes, or -1
 *                         for a state taken from an empty journal
 * @param takenEpochMillis when the snapshot was captured, by the collector's clock
 * @param body             the parts, as {@link SnapshotCodec} writes them
 */
public record Snapshot(long journalIndex, long takenEpochMillis, SnapshotBytes body) {

    /** Validates presence. */
    public Snapshot {
        Objects.requireNonNull(body, "body");
        if (journalIndex < -1) {
            throw new IllegalArgumentException("journalIndex must be >= -1 (was " + journalIndex + ")");
        }
    }
}
