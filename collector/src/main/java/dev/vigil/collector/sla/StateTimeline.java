package dev.vigil.collector.sla;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The state over time of a check location ({@link CheckTimeline}), a check run from several locations
 * ({@link QuorumTimeline}) or a service of several checks ({@link ServiceTimeline}). Every query takes
 * {@code now}: time at or after it is not known yet and never reported.
 */
public interface StateTimeline {

    /**
     * The DOWN and NO_DATA time within {@code [fromEpochMillis, min(toEpochMillis, nowEpochMillis))};
     * the rest of that range is UP.
     */
    TimelineSlice slice(long fromEpochMillis, long toEpochMillis, long nowEpochMillis);

    /** The DOWN time within {@code [from, min(to, now))}. */
    default IntervalSet down(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        return slice(fromEpochMillis, toEpochMillis, nowEpochMillis).down();
    }

    /** The NO_DATA time within {@code [from, min(to, now))}. */
    default IntervalSet noData(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        return slice(fromEpochMillis, toEpochMillis, nowEpochMillis).noData();
    }

    /** The state (UP, DOWN or NO_DATA) at {@code epochMillis}, which must be before {@code nowEpochMillis}. */
    TimelineState stateAt(long epochMillis, long nowEpochMillis);

    /**
     * When the DOWN state at {@code epochMillis} became known: the later of that instant and the receive
     * time of the sample that confirmed it (for several locations or checks, see the implementations).
     *
     * @throws IllegalArgumentException if the state at that instant is not DOWN
     */
    long detectedAt(long epochMillis, long nowEpochMillis);

    /**
     * The first instant whose state is known exactly: not before the first sample of the earliest
     * location, nor before any history forgotten by {@link #forgetBefore}. {@code Long.MAX_VALUE}
     * without samples. Outages are sought from here on.
     */
    long historyStartMillis();

    /** The latest instant before which some location forgot its history; {@code Long.MIN_VALUE} if none did. */
    long forgottenBeforeMillis();

    /**
     * The earliest scheduled time that a run of samples not yet confirmed may still date a state
     * change back to; {@code Long.MAX_VALUE} if no such run is in progress.
     */
    long pendingSinceMillis();

    /**
     * Drops the history of every location that no figure of a range starting at or after
     * {@code epochMillis} needs: each location forgets before {@link #retentionHorizon}. Time before
     * {@link #historyStartMillis()} is then no longer meaningful. Meant for history far behind now (the
     * engine keeps 13 months): {@code epochMillis} must precede the scheduled time of every sample still
     * to be applied, which the collector's bound on sample age guarantees.
     */
    void forgetBefore(long epochMillis, long nowEpochMillis);

    /**
     * How far back history must be kept for the figures of ranges starting at or after
     * {@code epochMillis} to stay exact: to the start of the not-UP stretch in force there (an outage
     * overlapping such a range may begin inside it, or a NO_DATA stretch may join it to one), and to
     * that of any run of samples that may still be confirmed.
     */
    default long retentionHorizon(long epochMillis, long nowEpochMillis) {
        long at = Math.min(epochMillis, nowEpochMillis);
        long horizon = notUpStretchStart(at, nowEpochMillis);
        long pending = pendingSinceMillis();
        if (pending < at) {
            horizon = Math.min(horizon, notUpStretchStart(pending, nowEpochMillis));
        }
        return horizon;
    }

    /** The start of the not-UP stretch reaching up to {@code epochMillis}, or that instant if it follows UP time. */
    private long notUpStretchStart(long epochMillis, long nowEpochMillis) {
        long historyStart = historyStartMillis();
        if (historyStart >= epochMillis) {
            return epochMillis;
        }
        TimelineSlice slice = slice(historyStart, epochMillis, nowEpochMillis);
        IntervalSet notUp = slice.down().union(slice.noData());
        int last = notUp.size() - 1;
        return last >= 0 && notUp.end(last) == epochMillis ? notUp.start(last) : epochMillis;
    }

    /**
     * The outages overlapping {@code [fromEpochMillis, min(toEpochMillis, nowEpochMillis))}, oldest first,
     * with their full extent (they may start before the range and end after it). An outage still not UP
     * at {@code now} is ongoing.
     */
    default List<OutageRecord> outages(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        long historyStart = historyStartMillis();
        long end = Math.min(toEpochMillis, nowEpochMillis);
        List<OutageRecord> outages = new ArrayList<>();
        if (historyStart >= nowEpochMillis || end <= fromEpochMillis) {
            return outages;
        }
        // the whole retained history, because an outage overlapping the range may start long before it
        TimelineSlice slice = slice(historyStart, nowEpochMillis, nowEpochMillis);
        IntervalSet down = slice.down();
        IntervalSet notUp = down.union(slice.noData());
        int d = 0;
        for (int i = 0; i < notUp.size(); i++) {
            long componentEnd = notUp.end(i);
            while (d < down.size() && down.end(d) <= notUp.start(i)) {
                d++;
            }
            if (d >= down.size() || down.start(d) >= componentEnd) {
                continue;
            }
            long start = down.start(d);
            if (start >= end) {
                break;
            }
            if (componentEnd > fromEpochMillis) {
                OptionalLong outageEnd = componentEnd >= nowEpochMillis ? OptionalLong.empty() : OptionalLong.of(componentEnd);
                outages.add(new OutageRecord(start, outageEnd, detectedAt(start, nowEpochMillis)));
            }
        }
        return outages;
    }
}
