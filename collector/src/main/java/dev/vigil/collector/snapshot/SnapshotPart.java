package dev.vigil.collector.snapshot;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One piece of derived state a snapshot carries, e.g. the check board or the SLA engine. A part
 * writes itself in a format it owns and reads that format back into a freshly built, empty instance.
 */
public interface SnapshotPart {
    /**
     * The part's stable name in the snapshot, e.g. {@code board}; a restore requires the same parts,
     * in the same order, as the capture.
     */
    String snapshotName();

    /**
     * The version of the part's format; a snapshot whose part has another version is not restored
     * (the collector replays the journal instead), so bump it whenever the format changes.
     */
    int snapshotVersion();

    /** Writes the part's state. Called on the thread that owns the state. */
    void writeSnapshot(DataOutput out) throws IOException;

    /**
     * Whether a snapshot may lack this part (one taken before the part existed, or with another version
     * of it): the part is then left empty and the rest restored, rather than the whole snapshot refused.
     * For parts that only help people read (the failure evidence), not for figures.
     */
    default boolean snapshotOptional() {
        return false;
    }

    /** Reads a state written by {@link #writeSnapshot} into this part, which must still be empty. */
    void readSnapshot(DataInput in) throws IOException;

    /**
     * Empties an optional part after {@link #readSnapshot} failed half way, so what it read before the
     * failure is not kept; the other parts never need it (a failure refuses the whole snapshot).
     */
    default void clearSnapshot() {
    }
}
