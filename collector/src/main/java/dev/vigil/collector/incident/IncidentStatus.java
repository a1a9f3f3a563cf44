package dev.vigil.collector.incident;

import java.util.Locale;

/** Whether an incident's outage is still going on. */
public enum IncidentStatus {
    /** The check is down. */
    OPEN,
    /** The check recovered; the incident will not change again. */
    RESOLVED;

    /** The form used in JSON: {@code open}, {@code resolved}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
