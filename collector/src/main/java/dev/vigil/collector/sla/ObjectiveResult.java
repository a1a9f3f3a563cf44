package dev.vigil.collector.sla;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The attainment of one objective over a range.
 *
 * @param objective            the objective
 * @param measured             the share of good: availability, or the share of samples successful and
 *                             within the threshold (ratio), or of successful samples within the threshold
 *                             (percentile); empty without total
 * @param percentileMicros     for a percentile objective, the measured percentile, microseconds; empty
 *                             otherwise or without successful samples
 * @param met                  whether the objective holds: good ≥ target × total, decided exactly on the
 *                             decimal target (so a p99 objective holds when at least ⌈0.99 × n⌉ of n
 *                             successful samples are within the threshold); true without total
 * @param bad                  bad milliseconds (availability) or samples (latency)
 * @param total                agreed milliseconds (availability) or samples counted
 * @param unit                 what {@code bad} and {@code total} count
 * @param errorBudgetRemaining {@code 1 − bad / ((1 − target) × total)}: 1 untouched, 0 spent,
 *                             negative overspent; 1 without total
 */
public record ObjectiveResult(Objective objective, OptionalDouble measured, OptionalLong percentileMicros, boolean met,
                              long bad, long total, Unit unit, double errorBudgetRemaining) {

    /** What an objective's bad and total count. */
    public enum Unit {
        /** Milliseconds of agreed service time. */
        MILLISECONDS,
        /** Samples. */
        SAMPLES
    }

    /** Validates. */
    public ObjectiveResult {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(percentileMicros, "percentileMicros");
        Objects.requireNonNull(unit, "unit");
        if (bad < 0 || total < 0 || bad > total) {
            throw new IllegalArgumentException("bad " + bad + " and total " + total + " must satisfy 0 <= bad <= total");
        }
    }
}
