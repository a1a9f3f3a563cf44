package dev.vigil.collector.sla;

import java.util.Objects;

/**
 * One rule of the burn-rate table evaluated at an instant.
 *
 * @param rule            the rule, windows already scaled to the SLA period
 * @param longBurnRate    burn rate over the long window: (bad / total) / (1 − target); 0 without total
 * @param shortBurnRate   burn rate over the short window
 * @param firing          whether both are above the rule's factor
 */
public record BurnRateAlert(BurnRateRule rule, double longBurnRate, double shortBurnRate, boolean firing) {
    /** Validates. */
    public BurnRateAlert {
        Objects.requireNonNull(rule, "rule");
    }
}
