package dev.vigil.collector.sla;

import java.util.Objects;

/**
 * The DOWN and NO_DATA time of a timeline within one range; the rest of the range is UP.
 *
 * @param down   DOWN time
 * @param noData NO_DATA time, disjoint from {@code down}
 */
public record TimelineSlice(IntervalSet down, IntervalSet noData) {
    /** Validates. */
    public TimelineSlice {
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(noData, "noData");
    }
}
