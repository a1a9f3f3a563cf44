package dev.vigil.collector.incident;

import java.util.Locale;

/** What an incident is about; part of its key. */
public enum IncidentKind {
    /** A confirmed outage of a service, or of a check location that belongs to no service. */
    OUTAGE,
    /** A service's error budget burning fast (the multi-window burn-rate alert at page level). */
    BURN_RATE,
    /** A service's error budget for the current period is spent: the SLA is breached. */
    BUDGET_EXHAUSTED,
    /** An alert received from Prometheus' Alertmanager. */
    ALERT;

    /** The form used in configuration, keys and JSON: {@code outage}, {@code burn_rate}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
