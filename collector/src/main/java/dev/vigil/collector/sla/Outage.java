package dev.vigil.collector.sla;

import java.util.OptionalLong;

/**
 * A period during which a check was down: from the scheduled time of the first failed sample of the
 * confirming run to the scheduled time of the first successful sample of the recovering run.
 *
 * @param startEpochMillis when it began
 * @param endEpochMillis   when it ended, empty while it lasts
 */
public record Outage(long startEpochMillis, OptionalLong endEpochMillis) {

    /** Validates that an ended outage does not end before it starts. */
    public Outage {
        if (endEpochMillis.isPresent() && endEpochMillis.getAsLong() < startEpochMillis) {
            throw new IllegalArgumentException("an outage cannot end (" + endEpochMillis.getAsLong()
                    + ") before it starts (" + startEpochMillis + ")");
        }
    }

    /** Whether it has ended. */
    public boolean ended() {
        return endEpochMillis.isPresent();
    }

    /** Its end, or {@code nowEpochMillis} while it lasts. */
    public long endOr(long nowEpochMillis) {
        return endEpochMillis.orElse(Math.max(nowEpochMillis, startEpochMillis));
    }

    /** How much of it lies within {@code [fromEpochMillis, toEpochMillis)}, in milliseconds. */
    public long overlapMillis(long fromEpochMillis, long toEpochMillis) {
        long from = Math.max(fromEpochMillis, startEpochMillis);
        long to = Math.min(toEpochMillis, endOr(toEpochMillis));
        return Math.max(0, to - from);
    }
}
