package dev.vigil.collector.sla;

import java.time.Duration;
import java.util.Objects;

/**
 * When a check location counts as flapping: at least {@code changes} confirmed state changes (UP to
 * DOWN or DOWN to UP, each dated like its outage start or end) within the trailing {@code window}.
 *
 * @param changes state changes that make it flapping, 2..1000
 * @param window  the trailing window, 1 s .. 7 days
 */
public record FlapRule(int changes, Duration window) {
    /** Five changes within one hour: two and a half outages in an hour is not one incident. */
    public static final FlapRule DEFAULT = new FlapRule(5, Duration.ofHours(1));

    /** Validates. */
    public FlapRule {
        Objects.requireNonNull(window, "window");
        if (changes < 2 || changes > 1000) {
            throw new IllegalArgumentException("flap changes must be 2..1000 (was " + changes + ")");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("flap window must be 1 s .. 7 days (was " + window + ")");
        }
    }
}
