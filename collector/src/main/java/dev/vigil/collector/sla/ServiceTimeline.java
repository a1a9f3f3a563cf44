package dev.vigil.collector.sla;

import java.util.List;

/**
 * The state over time of a service made of several checks: DOWN if any check is DOWN, else NO_DATA if
 * any is NO_DATA, else UP. The detection time of a DOWN instant is the earliest detection among the
 * checks DOWN at that instant.
 */
public final class ServiceTimeline extends CompositeTimeline {
    private final List<StateTimeline> checks;

    /**
     * A service of the given checks.
     *
     * @param checks the timeline of each check, at least one
     */
    public ServiceTimeline(List<? extends StateTimeline> checks) {
        super(atLeastOne(checks, "a service needs at least one check"));
        this.checks = children();
    }

    /** The checks' timelines. */
    public List<StateTimeline> checks() {
        return checks;
    }

    @Override
    public TimelineSlice slice(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        IntervalSet down = IntervalSet.EMPTY;
        IntervalSet noData = IntervalSet.EMPTY;
        for (StateTimeline check : checks) {
            TimelineSlice slice = check.slice(fromEpochMillis, toEpochMillis, nowEpochMillis);
            down = down.union(slice.down());
            noData = noData.union(slice.noData());
        }
        return new TimelineSlice(down, noData.minus(down));
    }

    @Override
    public TimelineState stateAt(long epochMillis, long nowEpochMillis) {
        TimelineState state = TimelineState.UP;
        for (StateTimeline check : checks) {
            TimelineState checkState = check.stateAt(epochMillis, nowEpochMillis);
            if (checkState == TimelineState.DOWN) {
                return TimelineState.DOWN;
            }
            if (checkState == TimelineState.NO_DATA) {
                state = TimelineState.NO_DATA;
            }
        }
        return state;
    }

    @Override
    public long detectedAt(long epochMillis, long nowEpochMillis) {
        long earliest = Long.MAX_VALUE;
        for (StateTimeline check : checks) {
            if (check.stateAt(epochMillis, nowEpochMillis) == TimelineState.DOWN) {
                earliest = Math.min(earliest, check.detectedAt(epochMillis, nowEpochMillis));
            }
        }
        if (earliest == Long.MAX_VALUE) {
            throw new IllegalArgumentException("not down at " + epochMillis);
        }
        return Math.max(epochMillis, earliest);
    }
}
