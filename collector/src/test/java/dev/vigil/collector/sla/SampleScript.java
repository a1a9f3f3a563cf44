package dev.vigil.collector.sla;

import dev.vigil.collector.state.Thresholds;
import java.time.Instant;

/**
 * A check location's samples written one character per minute from a base instant, so scenario
 * tables read like a strip chart: {@code +} a successful sample, {@code x} a failed one, {@code .} no
 * sample. Intervals are written in minutes after the base, {@code "2-4 7-9"} for [2, 4) and [7, 9).
 */
final class SampleScript {
    /** Monday 2026-01-05 00:00 UTC. */
    static final long BASE = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;

    private SampleScript() {
    }

    /** The instant {@code minutes} after the base. */
    static long minute(double minutes) {
        return BASE + Math.round(minutes * MINUTE);
    }

    /** A location timeline fed with {@code script}, each sample received {@code delayMillis} after its schedule. */
    static CheckTimeline timeline(String script, Thresholds thresholds, long noDataAfterMinutes, long delayMillis) {
        CheckTimeline timeline = new CheckTimeline(thresholds, noDataAfterMinutes * MINUTE);
        feed(timeline, script, delayMillis);
        return timeline;
    }

    /** A location timeline with thresholds 2/2, no data after 5 minutes, samples received on schedule. */
    static CheckTimeline timeline(String script) {
        return timeline(script, Thresholds.DEFAULT, 5, 0);
    }

    static void feed(CheckTimeline timeline, String script, long delayMillis) {
        String chart = script.strip();
        for (int m = 0; m < chart.length(); m++) {
            char c = chart.charAt(m);
            if (c == '+' || c == 'x') {
                long scheduled = minute(m);
                timeline.apply(scheduled, c == '+', scheduled + delayMillis);
            } else if (c != '.') {
                throw new IllegalArgumentException("unknown sample '" + c + "' in " + script);
            }
        }
    }

    /** Parses {@code "2-4 7-9"} (minutes after the base) into a set; blank means empty. */
    static IntervalSet minutes(String intervals) {
        IntervalSet.Builder builder = IntervalSet.builder();
        if (intervals == null || intervals.isBlank()) {
            return builder.build();
        }
        for (String part : intervals.strip().split("\\s+")) {
            String[] bounds = part.split("-");
            builder.add(minute(Double.parseDouble(bounds[0])), minute(Double.parseDouble(bounds[1])));
        }
        return builder.build();
    }

    /** Thresholds written {@code "2/2"}. */
    static Thresholds thresholds(String failuresSlashSuccesses) {
        String[] parts = failuresSlashSuccesses.strip().split("/");
        return new Thresholds(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
