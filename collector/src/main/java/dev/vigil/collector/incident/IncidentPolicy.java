package dev.vigil.collector.incident;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How incidents are opened, prioritised and followed up, from {@code incidents:} in {@code collector.yaml}.
 *
 * @param matrix          priority from impact × urgency
 * @param impactByTier    a service's impact from its catalogue {@code tier}
 * @param defaultImpact   the impact of services without a listed tier and of checks in no service
 * @param evaluateEvery   how often open incidents, mutes, reminders and acknowledgements are looked at, &gt; 0
 * @param remindEvery     how long an open incident waits before each reminder; empty for none
 * @param burnRate        whether a fast burn of an error budget (page-level alert) opens an incident
 * @param budgetExhausted whether a spent error budget (the SLA breached for the period) opens an incident
 * @param dampFlapping    whether a recovery while flapping keeps the incident open, so a flapping
 *                        service makes one incident rather than one per outage
 */
public record IncidentPolicy(PriorityMatrix matrix, Map<String, Level> impactByTier, Level defaultImpact,
        Duration evaluateEvery, Optional<Duration> remindEvery, boolean burnRate, boolean budgetExhausted,
        boolean dampFlapping) {
    /** The defaults: ITIL matrix, medium impact, 15 s, no reminders, both signals on, flapping damped. */
    public static final IncidentPolicy DEFAULT = new IncidentPolicy(PriorityMatrix.DEFAULT, Map.of(), Level.MEDIUM,
            Duration.ofSeconds(15), Optional.empty(), true, true, true);

    /** Validates and copies. */
    public IncidentPolicy {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(defaultImpact, "defaultImpact");
        Objects.requireNonNull(evaluateEvery, "evaluateEvery");
        Objects.requireNonNull(remindEvery, "remindEvery");
        impactByTier = Map.copyOf(impactByTier);
        if (evaluateEvery.isZero() || evaluateEvery.isNegative()) {
            throw new IllegalArgumentException("evaluate_every must be > 0 (was " + evaluateEvery + ")");
        }
        remindEvery.ifPresent(every -> {
            if (every.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("remind_every must be >= 1m (was " + every + ")");
            }
        });
    }

    /** The impact of a service of {@code tier}. */
    public Level impactOf(Optional<String> tier) {
        return tier.map(impactByTier::get).orElse(defaultImpact);
    }
}
