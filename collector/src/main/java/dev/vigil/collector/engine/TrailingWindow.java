package dev.vigil.collector.engine;

import java.time.Duration;

/** A trailing window the per-check figures of the API and the metrics cover, ending now. */
public enum TrailingWindow {
    /** The last hour. */
    HOUR("1h", Duration.ofHours(1)),
    /** The last 24 hours. */
    DAY("24h", Duration.ofHours(24)),
    /** The last 30 days. */
    MONTH("30d", Duration.ofDays(30));

    private final String label;
    private final long lengthMillis;

    TrailingWindow(String label, Duration length) {
        this.label = label;
        this.lengthMillis = length.toMillis();
    }

    /** The name in the API and in metric labels: {@code 1h}, {@code 24h}, {@code 30d}. */
    public String label() {
        return label;
    }

    /** The window's length, milliseconds. */
    public long lengthMillis() {
        return lengthMillis;
    }
}
