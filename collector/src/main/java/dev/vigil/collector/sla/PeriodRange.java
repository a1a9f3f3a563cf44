package dev.vigil.collector.sla;

import java.util.Objects;

/**
 * One period of an SLA, {@code [startMillis, endMillis)}.
 *
 * @param startMillis first instant, epoch milliseconds
 * @param endMillis   first instant after the period, epoch milliseconds, later than the start
 * @param label       how reports name it: {@code 2026-11}, {@code 2026-W48}, {@code 2026-Q4},
 *                    {@code rolling-30d}
 */
public record PeriodRange(long startMillis, long endMillis, String label) {
    /** Validates. */
    public PeriodRange {
        Objects.requireNonNull(label, "label");
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException("period " + label + " must end (" + endMillis + ") after it starts ("
                    + startMillis + ")");
        }
    }

    /** Its length in milliseconds. */
    public long lengthMillis() {
        return endMillis - startMillis;
    }
}
