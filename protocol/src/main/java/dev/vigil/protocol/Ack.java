package dev.vigil.protocol;

/**
 * The collector's answer to a batch: everything up to {@code ackedIndex} is in the collector's
 * journal, so the agent may move its acknowledged position there.
 *
 * @param ackedIndex the highest agent journal index the collector holds, or -1 for none yet
 * @param accepted   records of this batch newly appended to the collector's journal
 * @param duplicates records of this batch the collector already had, ignored
 */
public record Ack(long ackedIndex, int accepted, int duplicates) {

    /** Validates the counts. */
    public Ack {
        if (ackedIndex < -1) {
            throw new IllegalArgumentException("ackedIndex must be >= -1 (was " + ackedIndex + ")");
        }
        if (accepted < 0 || duplicates < 0) {
            throw new IllegalArgumentException("accepted and duplicates must be >= 0");
        }
    }
}
