package dev.vigil.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The collector's answer to a batch. Cumulative: every record of {@code epoch} up to
 * {@code ackedIndex} and every gap up to {@code ackedGap} is settled, held in the collector's journal
 * or refused for good and listed in {@code rejections}; the agent may move its acknowledged position
 * there.
 *
 * @param epoch      the epoch of the batch answered
 * @param ackedIndex the highest journal index of that epoch settled, or -1 for none yet
 * @param ackedGap   the highest gap sequence of that epoch the collector holds, or -1 for none
 * @param accepted   records of this batch newly appended to the collector's journal
 * @param duplicates records of this batch the collector already had, ignored
 * @param rejections records of this batch refused for good, in index order
 */
public record Ack(long epoch, long ackedIndex, long ackedGap, int accepted, int duplicates,
        List<Rejection> rejections) {

    /** Validates the counts and copies the rejections. */
    public Ack {
        Objects.requireNonNull(rejections, "rejections");
        rejections = List.copyOf(rejections);
        if (ackedIndex < -1 || ackedGap < -1) {
            throw new IllegalArgumentException("ackedIndex and ackedGap must be >= -1 (were " + ackedIndex + ", "
                    + ackedGap + ")");
        }
        if (accepted < 0 || duplicates < 0) {
            throw new IllegalArgumentException("accepted and duplicates must be >= 0");
        }
    }
}
