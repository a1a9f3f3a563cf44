package dev.vigil.collector.kpi;

import java.util.Locale;

/** One of the three incident targets: how fast an outage is detected, acknowledged and restored. */
public enum KpiTarget {
    /** Detected (confirmed by the collector) within the target of its start. */
    DETECT,
    /** Acknowledged by someone within the target of its detection. */
    ACKNOWLEDGE,
    /** Restored (the outage ended) within the target of its start. */
    RESTORE;

    /** The name in configuration, JSON and metric labels: {@code detect}, {@code acknowledge}, {@code restore}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
