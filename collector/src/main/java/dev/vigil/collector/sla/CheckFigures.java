package dev.vigil.collector.sla;

import dev.vigil.protocol.Sample;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * The raw material of one check's SLA figures: when it first reported, its outages, and a
 * {@link LatencyRing} per window. Not thread-safe.
 */
final class CheckFigures {
    /**
     * Ended outages are kept this long past their end, measured from the newest outage start: one
     * day more than the longest window, so clock differences between agent and collector do not drop
     * an outage a query still needs.
     */
    private static final long OUTAGE_RETENTION_MILLIS = Window.MONTH.lengthMillis() + Window.DAY.lengthMillis();

    private final Map<Window, LatencyRing> rings = new EnumMap<>(Window.class);
    private final List<Outage> outages = new ArrayList<>();
    private long firstSampleEpochMillis = Long.MAX_VALUE;

    CheckFigures() {
        for (Window window : Window.values()) {
            rings.put(window, LatencyRing.forWindow(window));
        }
    }

    void record(Sample sample) {
        firstSampleEpochMillis = Math.min(firstSampleEpochMillis, sample.scheduledEpochMillis());
        long latencyMicros = sample.success() ? sample.totalNanos() / 1_000 : -1;
        for (LatencyRing ring : rings.values()) {
            ring.record(sample.scheduledEpochMillis(), latencyMicros);
        }
    }

    void outageStarted(long startEpochMillis) {
        long horizon = startEpochMillis - OUTAGE_RETENTION_MILLIS;
        outages.removeIf(outage -> outage.ended() && outage.endEpochMillis().getAsLong() < horizon);
        outages.add(new Outage(startEpochMillis, OptionalLong.empty()));
    }

    void outageEnded(long endEpochMillis) {
        int last = outages.size() - 1;
        if (last < 0 || outages.get(last).ended()) {
            throw new IllegalStateException("an outage ended that never started");
        }
        outages.set(last, new Outage(outages.get(last).startEpochMillis(), OptionalLong.of(endEpochMillis)));
    }

    WindowFigures figures(Window window, long nowEpochMillis, Histogram scratch) {
        long windowStart = nowEpochMillis - window.lengthMillis();
        long observedStart = Math.max(windowStart, firstSampleEpochMillis);
        long observed = Math.max(0, nowEpochMillis - observedStart);
        long downtime = 0;
        int overlapping = 0;
        int ended = 0;
        long endedMillis = 0;
        for (Outage outage : outages) {
            if (observed > 0) {
                downtime += outage.overlapMillis(observedStart, nowEpochMillis);
            }
            if (outage.startEpochMillis() <= nowEpochMillis && outage.endOr(nowEpochMillis) > windowStart) {
                overlapping++;
            }
            if (outage.ended()) {
                long end = outage.endEpochMillis().getAsLong();
                if (end > windowStart && end <= nowEpochMillis) {
                    ended++;
                    endedMillis += end - outage.startEpochMillis();
                }
            }
        }
        LatencyRing ring = rings.get(window);
        ring.advance(nowEpochMillis);
        return new WindowFigures(window, observed, Math.min(downtime, observed), overlapping, ended, endedMillis,
                ring.samples(), ring.percentiles(scratch));
    }

    List<Outage> outages() {
        return List.copyOf(outages);
    }
}
