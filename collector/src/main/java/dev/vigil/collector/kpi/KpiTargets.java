package dev.vigil.collector.kpi;

import java.time.Duration;
import java.util.Objects;

/**
 * The three incident targets for one service.
 *
 * @param detect      longest time from an outage's start to its detection that meets the target
 * @param acknowledge longest time from detection to acknowledgement that meets the target
 * @param restore     longest time from an outage's start to its end that meets the target
 */
public record KpiTargets(Duration detect, Duration acknowledge, Duration restore) {
    /** The defaults: detected within 2 minutes, acknowledged within 30, restored within 4 hours. */
    public static final KpiTargets DEFAULT = new KpiTargets(Duration.ofMinutes(2), Duration.ofMinutes(30),
            Duration.ofHours(4));

    /** Validates that every target is strictly positive. */
    public KpiTargets {
        positive("detect", detect);
        positive("acknowledge", acknowledge);
        positive("restore", restore);
    }

    /** The target for {@code target}. */
    public Duration of(KpiTarget target) {
        return switch (target) {
            case DETECT -> detect;
            case ACKNOWLEDGE -> acknowledge;
            case RESTORE -> restore;
        };
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " target must be > 0 (was " + value + ")");
        }
    }
}
