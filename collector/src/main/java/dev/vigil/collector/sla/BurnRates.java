package dev.vigil.collector.sla;

import java.util.List;
import java.util.Objects;

/**
 * The burn rates of one objective at one instant, per rule of the (scaled) burn-rate table.
 *
 * @param objective      the objective
 * @param nowEpochMillis the instant the trailing windows end at
 * @param alerts         one entry per rule, in table order
 */
public record BurnRates(Objective objective, long nowEpochMillis, List<BurnRateAlert> alerts) {
    /** Validates and copies. */
    public BurnRates {
        Objects.requireNonNull(objective, "objective");
        alerts = List.copyOf(alerts);
    }

    /** Whether any rule fires. */
    public boolean anyFiring() {
        return alerts.stream().anyMatch(BurnRateAlert::firing);
    }
}
