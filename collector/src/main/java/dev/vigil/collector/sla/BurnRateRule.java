package dev.vigil.collector.sla;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One pair of the multi-window, multi-burn-rate alert table: it fires when the burn rate over both the
 * long and the short trailing window is above the factor. The long window makes it significant, the
 * short one makes it stop soon after the burning stops.
 *
 * @param longWindow  the long trailing window
 * @param shortWindow the short trailing window, no longer than the long one
 * @param factor      burn rate above which it fires, > 0
 * @param severity    whom it should reach
 */
public record BurnRateRule(Duration longWindow, Duration shortWindow, double factor, Severity severity) {

    /** Whom an alert should reach. */
    public enum Severity {
        /** Wake someone up: the budget goes fast. */
        PAGE,
        /** Open a ticket: the budget goes, but slowly. */
        TICKET
    }

    /** The period length the standard table is written for. */
    public static final Duration STANDARD_PERIOD = Duration.ofDays(30);

    /** The standard table for a 30-day period. */
    public static final List<BurnRateRule> STANDARD = List.of(
            new BurnRateRule(Duration.ofHours(1), Duration.ofMinutes(5), 14.4, Severity.PAGE),
            new BurnRateRule(Duration.ofHours(6), Duration.ofMinutes(30), 6, Severity.PAGE),
            new BurnRateRule(Duration.ofDays(1), Duration.ofHours(2), 3, Severity.TICKET),
            new BurnRateRule(Duration.ofDays(3), Duration.ofHours(6), 1, Severity.TICKET));

    /** Validates. */
    public BurnRateRule {
        Objects.requireNonNull(longWindow, "longWindow");
        Objects.requireNonNull(shortWindow, "shortWindow");
        Objects.requireNonNull(severity, "severity");
        if (shortWindow.toMillis() < 1 || shortWindow.compareTo(longWindow) > 0) {
            throw new IllegalArgumentException("short window must be 1 ms .. the long window " + longWindow + " (was "
                    + shortWindow + ")");
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("burn rate factor must be > 0 (was " + factor + ")");
        }
    }

    /** The standard table with every window scaled by {@code period / 30 days}, to the millisecond. */
    public static List<BurnRateRule> standardFor(Duration period) {
        return STANDARD.stream().map(rule -> rule.scaledTo(period)).toList();
    }

    /** This rule with both windows scaled by {@code period / 30 days}, rounded down to the millisecond. */
    public BurnRateRule scaledTo(Duration period) {
        // seconds of the period keep the product below Long.MAX_VALUE for periods up to 400 days
        long periodSeconds = period.toSeconds();
        long standardSeconds = STANDARD_PERIOD.toSeconds();
        return new BurnRateRule(
                Duration.ofMillis(Math.max(1, longWindow.toMillis() * periodSeconds / standardSeconds)),
                Duration.ofMillis(Math.max(1, shortWindow.toMillis() * periodSeconds / standardSeconds)),
                factor, severity);
    }
}
