package dev.vigil.agent.ship;

/** Hears what the shipper does, for metrics. Called on the shipper's thread; must not block. */
public interface ShipListener {
    /** A listener that ignores everything. */
    ShipListener NONE = new ShipListener() {
    };

    /** The collector acknowledged {@code samples} more samples, up to journal index {@code ackedIndex}. */
    default void acked(int samples, long ackedIndex) {
    }

    /** A batch could not be delivered; {@code reason} is a short description. */
    default void shipFailed(String reason) {
    }

    /**
     * The collector took {@code samples} samples for duplicates although this journal never delivered
     * them: the journal was reset below the indexes the collector already holds for this agent.
     */
    default void rejectedAsDuplicate(int samples) {
    }

    /** {@code samples} journaled samples are not acknowledged yet. */
    default void backlog(long samples) {
    }
}
