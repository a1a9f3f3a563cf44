package dev.vigil.protocol;

import java.util.Objects;

/**
 * An agent's durable notice that it lost samples it took, so the collector can count them and tell a
 * gap in the data from downtime. The agent keeps a gap until an ack covers its sequence; the
 * collector deduplicates gaps by (agent, epoch, sequence) as it does records by journal index.
 *
 * @param sequence             numbers the agent's gaps within one journal epoch, ≥ 0, increasing
 * @param reason               why the samples were lost
 * @param samples              how many samples, ≥ 1
 * @param firstIndex           the journal index of the first lost sample, or -1 when they never had one
 * @param lastIndex            the journal index of the last lost sample, or -1 (then firstIndex is -1 too)
 * @param firstScheduledMillis the earliest scheduled time among them, or -1 when unknown
 * @param lastScheduledMillis  the latest scheduled time among them, or -1 when unknown
 */
public record Gap(long sequence, GapReason reason, long samples, long firstIndex, long lastIndex,
        long firstScheduledMillis, long lastScheduledMillis) {

    /** Validates the fields; the message names the field and value. */
    public Gap {
        Objects.requireNonNull(reason, "reason");
        if (sequence < 0) {
            throw new IllegalArgumentException("gap sequence must be >= 0 (was " + sequence + ")");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("gap samples must be >= 1 (was " + samples + ")");
        }
        if ((firstIndex == -1) != (lastIndex == -1) || firstIndex < -1 || lastIndex < firstIndex) {
            throw new IllegalArgumentException("gap index range " + firstIndex + ".." + lastIndex
                    + " must be -1..-1 or 0 <= first <= last");
        }
        if ((firstScheduledMillis == -1) != (lastScheduledMillis == -1) || lastScheduledMillis < firstScheduledMillis) {
            throw new IllegalArgumentException("gap time span " + firstScheduledMillis + ".." + lastScheduledMillis
                    + " must be -1..-1 or first <= last");
        }
    }
}
