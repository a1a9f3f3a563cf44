package dev.vigil.collector.snapshot;

/** A snapshot that cannot be restored into this collector's parts; the journal is replayed instead. */
public final class SnapshotMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming what does not match. */
    public SnapshotMismatchException(String message) {
        super(message);
    }

    /** With a message and the failure that revealed it. */
    public SnapshotMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
