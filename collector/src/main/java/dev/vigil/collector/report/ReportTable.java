package dev.vigil.collector.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Which table a CSV report holds: CSV has one table per file, so the lists that hang off each
 * service are asked for one at a time ({@code &table=outages}).
 */
public enum ReportTable {
    /** One row per service and objective, with the service's time accounting: the default. */
    OBJECTIVES,
    /** One row per outage. */
    OUTAGES,
    /** One row per incident. */
    INCIDENTS,
    /** One row per maintenance window that excluded service hours. */
    MAINTENANCE,
    /** One row per change started in the month, with whether it failed (see {@link ReportChanges}). */
    CHANGES,
    /** One row per service and party (supplier or provider) its downtime is attributed to. */
    SUPPLIERS;

    /** How the {@code table} parameter names it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The table {@code label} names, if any. */
    public static Optional<ReportTable> of(String label) {
        for (ReportTable table : values()) {
            if (table.label().equals(label)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }
}
