package dev.vigil.collector.sla;

import java.util.OptionalLong;

/**
 * One outage of a check location, a check or a service: a maximal time that is not UP and contains
 * DOWN time, from its first DOWN instant to where UP begins. Its DOWN parts are downtime, its NO_DATA
 * parts no-data time.
 *
 * @param startEpochMillis    its first DOWN instant
 * @param endEpochMillis      where UP begins again; empty while it lasts
 * @param detectedEpochMillis when it became known: the receive time of the sample that confirmed it
 *                            (see {@link StateTimeline#detectedAt}), never before the start
 */
public record OutageRecord(long startEpochMillis, OptionalLong endEpochMillis, long detectedEpochMillis) {

    /** Validates the order of start, end and detection. */
    public OutageRecord {
        if (endEpochMillis.isPresent() && endEpochMillis.getAsLong() <= startEpochMillis) {
            throw new IllegalArgumentException("an outage must end (" + endEpochMillis.getAsLong()
                    + ") after it starts (" + startEpochMillis + ")");
        }
        if (detectedEpochMillis < startEpochMillis) {
            throw new IllegalArgumentException("an outage cannot be detected (" + detectedEpochMillis
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

    /** Its full length up to its end, or up to {@code nowEpochMillis} while it lasts, milliseconds. */
    public long durationMillis(long nowEpochMillis) {
        return endOr(nowEpochMillis) - startEpochMillis;
    }

    /** Time from its start to its detection, milliseconds. */
    public long timeToDetectMillis() {
        return detectedEpochMillis - startEpochMillis;
    }
}
