package dev.vigil.agent.ship;

import dev.vigil.agent.journal.LossReason;
import dev.vigil.protocol.RejectionReason;

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

    /** The collector refused {@code samples} samples for good, for {@code reason}; they are settled. */
    default void rejected(RejectionReason reason, int samples) {
    }

    /** {@code samples} journaled samples could not be shipped ({@link LossReason#UNREADABLE}, {@link LossReason#MALFORMED}). */
    default void lost(LossReason reason, long samples) {
    }

    /**
     * {@code samples} journaled samples are not acknowledged yet; the oldest the shipper holds was
     * scheduled at {@code oldestScheduledMillis} (epoch milliseconds), or -1 when it holds none.
     */
    default void backlog(long samples, long oldestScheduledMillis) {
    }
}
