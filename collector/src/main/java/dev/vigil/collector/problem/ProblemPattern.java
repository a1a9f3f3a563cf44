package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pattern of a problem's outages: how many started at each hour of the day and on each weekday (UTC),
 * how many failed with each outcome, and how many each agent saw. Only non-zero counts are present.
 *
 * @param byHourUtc   hour of day 0..23 (UTC) of the outage start to the number of outages
 * @param byWeekday   weekday of the outage start (UTC) to the number of outages
 * @param byOutcome   leading outcome word of the incident's detail ({@code STATUS_MISMATCH}) to the number
 *                    of outages; {@code UNKNOWN} when the detail has none
 * @param byLocation  agent to the number of outages that involved a check location of it
 * @param byFailure   failure ({@link #failure}: the outcome, with the HTTP status when there is one) to the
 *                    number of outages
 */
public record ProblemPattern(Map<Integer, Integer> byHourUtc, Map<DayOfWeek, Integer> byWeekday,
        Map<String, Integer> byOutcome, Map<String, Integer> byLocation, Map<String, Integer> byFailure) {

    /** Copies the maps, keeping their keys sorted. */
    public ProblemPattern {
        byHourUtc = Collections.unmodifiableMap(new TreeMap<>(byHourUtc));
        byWeekday = Collections.unmodifiableMap(new TreeMap<>(byWeekday));
        byOutcome = Collections.unmodifiableMap(new TreeMap<>(byOutcome));
        byLocation = Collections.unmodifiableMap(new TreeMap<>(byLocation));
        byFailure = Collections.unmodifiableMap(new TreeMap<>(byFailure));
    }

    /** An HTTP status code standing alone in a detail. */
    private static final Pattern STATUS = Pattern.compile("(?<![\\w.:])[1-5]\\d\\d(?![\\w.])");

    /** The pattern of {@code incidents}. */
    public static ProblemPattern of(List<Incident> incidents) {
        Map<Integer, Integer> hours = new TreeMap<>();
        Map<DayOfWeek, Integer> weekdays = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> locations = new TreeMap<>();
        Map<String, Integer> failures = new TreeMap<>();
        for (Incident incident : incidents) {
            ZonedDateTime start = Instant.ofEpochMilli(incident.startedEpochMillis()).atZone(ZoneOffset.UTC);
            hours.merge(start.getHour(), 1, Integer::sum);
            weekdays.merge(start.getDayOfWeek(), 1, Integer::sum);
            outcomes.merge(outcome(incident.detail()), 1, Integer::sum);
            failures.merge(failure(incident.detail()), 1, Integer::sum);
            // An outage seen from two checks of one agent is one outage at that location.
            new TreeSet<>(incident.checks().stream().map(CheckKey::agent).toList())
                    .forEach(agent -> locations.merge(agent, 1, Integer::sum));
        }
        return new ProblemPattern(hours, weekdays, outcomes, locations, failures);
    }

    /**
     * The outcome an incident's detail starts with: the word before the first {@code ':'} (or the whole
     * detail when it has none), if it looks like an outcome name ({@code STATUS_MISMATCH}); else
     * {@code UNKNOWN}.
     */
    static String outcome(String detail) {
        int colon = detail.indexOf(':');
        String word = (colon < 0 ? detail : detail.substring(0, colon)).trim();
        return word.matches("[A-Z][A-Z0-9_]*") ? word : "UNKNOWN";
    }

    /**
     * How an incident's outage failed, finer than its {@link #outcome}: for {@code STATUS_MISMATCH}, the
     * outcome and the first HTTP status code (100..599) its detail names ({@code STATUS_MISMATCH: status 503
     * from https://...} and {@code STATUS_MISMATCH: expected 2xx, got 503} both give
     * {@code STATUS_MISMATCH 503}); otherwise, or without a code, the outcome alone ({@code TIMEOUT}).
     * The incident records the confirming sample's outcome and detail but not its status code field, so
     * the code is read from the detail, where the agent's HTTP probe writes it.
     */
    public static String failure(String detail) {
        String outcome = outcome(detail);
        if (!outcome.equals("STATUS_MISMATCH")) {
            return outcome;
        }
        Matcher status = STATUS.matcher(detail.substring(outcome.length()));
        return status.find() ? outcome + " " + status.group() : outcome;
    }

    /** The pattern as JSON: {@code by_hour_utc} keyed "00".."23", {@code by_weekday} keyed "mon".."sun". */
    public JsonObject toJson() {
        JsonObject hours = new JsonObject();
        byHourUtc.forEach((hour, count) -> hours.put(String.format(Locale.ROOT, "%02d", hour), count));
        JsonObject weekdays = new JsonObject();
        byWeekday.forEach((day, count) -> weekdays.put(day.name().substring(0, 3).toLowerCase(Locale.ROOT), count));
        JsonObject outcomes = new JsonObject();
        byOutcome.forEach(outcomes::put);
        JsonObject locations = new JsonObject();
        byLocation.forEach(locations::put);
        JsonObject failures = new JsonObject();
        byFailure.forEach(failures::put);
        return new JsonObject().put("by_hour_utc", hours).put("by_weekday", weekdays).put("by_outcome", outcomes)
                .put("by_location", locations).put("by_failure", failures);
    }
}
