package dev.vigil.collector.incident;

import java.util.Locale;

/** Whether an incident is still going on. */
public enum IncidentStatus {
    /** What it is about has not recovered. */
    OPEN,
    /** It recovered; the incident will not change again. */
    RESOLVED;

    /** The form used in JSON: {@code open}, {@code resolved}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
