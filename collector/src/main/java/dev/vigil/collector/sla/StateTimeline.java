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

    /** The first instant with retained history; everything before it is NO_DATA. {@code Long.MAX_VALUE} if none. */
    long historyStartMillis();

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
