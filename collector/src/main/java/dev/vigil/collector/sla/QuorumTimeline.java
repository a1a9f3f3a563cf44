package dev.vigil.collector.sla;

import java.util.Arrays;
import java.util.List;

/**
 * The state over time of one check run from {@code n} locations with quorum {@code k}: at each instant
 * DOWN if at least {@code k} locations are DOWN; UP if fewer than {@code k} are DOWN or NO_DATA
 * together (the silent ones could not have made it DOWN); otherwise NO_DATA.
 *
 * <p>So with {@code k = 1} one silent location makes the check NO_DATA unless another sees it DOWN,
 * and with {@code k = 2} of 3 one silent location is tolerated while the other two agree it is UP.
 * The detection time of a DOWN instant is the {@code k}-th earliest detection among the locations DOWN
 * at that instant, and never before the instant.
 */
public final class QuorumTimeline extends CompositeTimeline {
    private final List<StateTimeline> locations;
    private final int quorum;

    /**
     * A check seen from several locations.
     *
     * @param locations the timeline of each location, at least one
     * @param quorum    how many locations must see it DOWN, 1..{@code locations.size()}
     */
    public QuorumTimeline(List<? extends StateTimeline> locations, int quorum) {
        super(atLeastOne(locations, "a check needs at least one location"));
        if (quorum < 1 || quorum > locations.size()) {
            throw new IllegalArgumentException("quorum must be 1.." + locations.size() + " (was " + quorum + ")");
        }
        this.locations = children();
        this.quorum = quorum;
    }

    /** The locations' timelines. */
    public List<StateTimeline> locations() {
        return locations;
    }

    /** The quorum. */
    public int quorum() {
        return quorum;
    }

    @Override
    public TimelineSlice slice(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        long end = Math.min(toEpochMillis, nowEpochMillis);
        if (end <= fromEpochMillis) {
            return new TimelineSlice(IntervalSet.EMPTY, IntervalSet.EMPTY);
        }
        int n = locations.size();
        if (n == 1) {
            return locations.get(0).slice(fromEpochMillis, end, nowEpochMillis);
        }
        IntervalSet[] down = new IntervalSet[n];
        IntervalSet[] noData = new IntervalSet[n];
        int boundaryCount = 2;
        for (int i = 0; i < n; i++) {
            TimelineSlice slice = locations.get(i).slice(fromEpochMillis, end, nowEpochMillis);
            down[i] = slice.down();
            noData[i] = slice.noData();
            boundaryCount += 2 * (down[i].size() + noData[i].size());
        }
        long[] boundaries = new long[boundaryCount];
        int b = 0;
        boundaries[b++] = fromEpochMillis;
        boundaries[b++] = end;
        for (int i = 0; i < n; i++) {
            b = addBounds(boundaries, b, down[i]);
            b = addBounds(boundaries, b, noData[i]);
        }
        Arrays.sort(boundaries);
        int[] downCursor = new int[n];
        int[] noDataCursor = new int[n];
        IntervalSet.Builder checkDown = IntervalSet.builder();
        IntervalSet.Builder checkNoData = IntervalSet.builder();
        // between consecutive boundaries every location's state is constant
        for (int j = 0; j + 1 < boundaries.length; j++) {
            long segmentStart = boundaries[j];
            long segmentEnd = boundaries[j + 1];
            if (segmentEnd == segmentStart) {
                continue;
            }
            int downCount = 0;
            int noDataCount = 0;
            for (int i = 0; i < n; i++) {
                if (covers(down[i], downCursor, i, segmentStart)) {
                    downCount++;
                } else if (covers(noData[i], noDataCursor, i, segmentStart)) {
                    noDataCount++;
                }
            }
            if (downCount >= quorum) {
                checkDown.add(segmentStart, segmentEnd);
            } else if (downCount + noDataCount >= quorum) {
                checkNoData.add(segmentStart, segmentEnd);
            }
        }
        return new TimelineSlice(checkDown.build(), checkNoData.build());
    }

    private static int addBounds(long[] boundaries, int b, IntervalSet set) {
        for (int k = 0; k < set.size(); k++) {
            boundaries[b++] = set.start(k);
            boundaries[b++] = set.end(k);
        }
        return b;
    }

    /** Whether {@code set} holds {@code instant}, advancing the cursor of location {@code i} (instants ascend). */
    private static boolean covers(IntervalSet set, int[] cursors, int i, long instant) {
        int c = cursors[i];
        while (c < set.size() && set.end(c) <= instant) {
            c++;
        }
        cursors[i] = c;
        return c < set.size() && set.start(c) <= instant;
    }

    @Override
    public TimelineState stateAt(long epochMillis, long nowEpochMillis) {
        int downCount = 0;
        int noDataCount = 0;
        for (StateTimeline location : locations) {
            switch (location.stateAt(epochMillis, nowEpochMillis)) {
                case DOWN -> downCount++;
                case NO_DATA -> noDataCount++;
                default -> { }
            }
        }
        if (downCount >= quorum) {
            return TimelineState.DOWN;
        }
        return downCount + noDataCount >= quorum ? TimelineState.NO_DATA : TimelineState.UP;
    }

    @Override
    public long detectedAt(long epochMillis, long nowEpochMillis) {
        long[] detections = new long[locations.size()];
        int count = 0;
        for (StateTimeline location : locations) {
            if (location.stateAt(epochMillis, nowEpochMillis) == TimelineState.DOWN) {
                detections[count++] = location.detectedAt(epochMillis, nowEpochMillis);
            }
        }
        if (count < quorum) {
            throw new IllegalArgumentException("not down at " + epochMillis);
        }
        Arrays.sort(detections, 0, count);
        return Math.max(epochMillis, detections[quorum - 1]);
    }
}
