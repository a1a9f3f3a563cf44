package dev.vigil.collector.status;

import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.StateTimeline;
import dev.vigil.collector.sla.TimelineSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Each service's last {@value #DAYS} UTC days, today included, as the status page and the uptime badge
 * show them. The past days of a service are computed together (one slice of its timeline) and kept;
 * they are computed again after {@link #REFRESH} (late samples may still change them), when the UTC day
 * turns, or when the catalogue changes (a maintenance window declared late changes them too). Today is
 * computed on every call. Not thread-safe: the collector's event loop only, like the engine.
 */
final class UptimeHistory {
    /** How many days the bars cover, today included. */
    static final int DAYS = 90;
    /** How long computed past days are used before they are computed again. */
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final long DAY_MILLIS = 86_400_000L;

    private final SlaEngine engine;
    private final Map<String, Past> past = new HashMap<>();

    UptimeHistory(SlaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * The last {@value #DAYS} days of {@code service}, oldest first, today last (counted up to now).
     *
     * @throws IllegalArgumentException if the catalogue has no such service
     */
    List<DayFigure> days(String service) {
        StateTimeline timeline = engine.serviceTimeline(service)
                .orElseThrow(() -> new IllegalArgumentException("no service named '" + service + "'"));
        long now = engine.clockMillis();
        long today = Math.floorDiv(now, DAY_MILLIS) * DAY_MILLIS;
        long version = engine.catalogue().version();
        Past kept = past.get(service);
        if (kept == null || kept.todayStartMillis != today || kept.catalogueVersion != version
                || now < kept.computedAtMillis || now - kept.computedAtMillis >= REFRESH.toMillis()) {
            kept = new Past(now, today, version, compute(service, timeline, today - (DAYS - 1) * DAY_MILLIS, today, now));
            past.put(service, kept);
        }
        List<DayFigure> days = new ArrayList<>(DAYS);
        days.addAll(kept.days);
        days.addAll(compute(service, timeline, today, today + DAY_MILLIS, now));
        return days;
    }

    /** Forgets the kept days of every service not in {@code services}: deleted from the catalogue. */
    void retain(Collection<String> services) {
        past.keySet().retainAll(services);
    }

    /** 1 − down / measured over {@code days}; empty when nothing was measured in them. */
    static OptionalDouble uptime(List<DayFigure> days) {
        long measured = 0;
        long down = 0;
        for (DayFigure day : days) {
            measured += day.measuredMillis();
            down += day.downMillis();
        }
        return measured == 0 ? OptionalDouble.empty() : OptionalDouble.of(1.0 - (double) down / measured);
    }

    /** The whole days in {@code [fromMillis, toMillis)} (UTC midnights), each counted up to {@code now}. */
    private List<DayFigure> compute(String service, StateTimeline timeline, long fromMillis, long toMillis,
            long now) {
        long end = Math.min(toMillis, now);
        TimelineSlice slice = timeline.slice(fromMillis, end, now);
        IntervalSet maintenance = engine.catalogue().maintenanceTime(service, fromMillis, Math.max(fromMillis, end));
        IntervalSet down = slice.down().minus(maintenance);
        IntervalSet noData = slice.noData().minus(maintenance);
        List<DayFigure> days = new ArrayList<>();
        for (long day = fromMillis; day < toMillis; day += DAY_MILLIS) {
            long dayEnd = Math.min(day + DAY_MILLIS, now);
            if (dayEnd <= day) {
                days.add(new DayFigure(day, 0, 0, 0));
                continue;
            }
            long maintained = within(maintenance, day, dayEnd);
            long measured = dayEnd - day - maintained - within(noData, day, dayEnd);
            days.add(new DayFigure(day, measured, within(down, day, dayEnd), maintained));
        }
        return days;
    }

    private static long within(IntervalSet set, long fromMillis, long toMillis) {
        return set.isEmpty() ? 0 : set.clip(fromMillis, toMillis).totalMillis();
    }

    /** The past days of one service as last computed. */
    private record Past(long computedAtMillis, long todayStartMillis, long catalogueVersion, List<DayFigure> days) {
    }
}
