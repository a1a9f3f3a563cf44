package dev.vigil.collector.incident;

import dev.vigil.collector.state.CheckKey;

/**
 * How incident keys are made. Each is {@code <kind>/<subject>@<start epoch millis>}, built from the data
 * alone, so a replay, a restart or a second collector derives the same key for the same event:
 * <ul>
 * <li>{@code service/<service>@<outage start>}</li>
 * <li>{@code check/<agent>/<check>@<outage start>} for a check location in no service</li>
 * <li>{@code burn_rate/<service>/<objective>@<first evaluation that fired>}</li>
 * <li>{@code budget_exhausted/<service>/<objective>@<period start>}</li>
 * <li>{@code alert/<Alertmanager fingerprint>@<startsAt>}</li>
 * </ul>
 */
public final class IncidentKeys {
    private IncidentKeys() {
    }

    /** The key of {@code service}'s outage starting at {@code startEpochMillis}. */
    public static String serviceOutage(String service, long startEpochMillis) {
        return "service/" + service + "@" + startEpochMillis;
    }

    /** The key of the outage of {@code check}, a location in no service, starting at {@code startEpochMillis}. */
    public static String checkOutage(CheckKey check, long startEpochMillis) {
        return "check/" + check.id() + "@" + startEpochMillis;
    }

    /** The key of a fast burn of {@code objective}'s budget first seen at {@code firedEpochMillis}. */
    public static String burnRate(String service, String objective, long firedEpochMillis) {
        return "burn_rate/" + service + "/" + objective + "@" + firedEpochMillis;
    }

    /** The key of {@code objective}'s budget spent in the period starting at {@code periodStartEpochMillis}. */
    public static String budgetExhausted(String service, String objective, long periodStartEpochMillis) {
        return "budget_exhausted/" + service + "/" + objective + "@" + periodStartEpochMillis;
    }

    /** The key of an Alertmanager alert. */
    public static String alert(String fingerprint, long startsAtEpochMillis) {
        return "alert/" + fingerprint + "@" + startsAtEpochMillis;
    }
}
