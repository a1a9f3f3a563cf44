package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A problem: the recurring outages of one subject, open until someone closes it with a root cause.
 *
 * @param key        {@code problem/<subject>@<start epoch millis of its first outage>}
 * @param subject    the service name, or {@code check/<agent>/<check>} for a check location in no service
 * @param service    the catalogue service, if the subject is one
 * @param incidents  the keys of its outage incidents, oldest start first; at least one
 * @param firstStartedEpochMillis when its first outage started
 * @param lastStartedEpochMillis  when its latest outage started
 * @param pattern    when, how and where its outages failed
 * @param closure    how it was closed, once it was
 * @param failure    the failure its opening outages shared ({@link ProblemPattern#failure}), when the
 *                   same-outcome rule opened it; empty when the recurrence rule did
 */
public record Problem(String key, String subject, Optional<String> service, List<String> incidents,
        long firstStartedEpochMillis, long lastStartedEpochMillis, ProblemPattern pattern,
        Optional<Closure> closure, Optional<String> failure) {

    /** Validates presence and that it has incidents. */
    public Problem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(closure, "closure");
        Objects.requireNonNull(failure, "failure");
        incidents = List.copyOf(incidents);
        if (incidents.isEmpty()) {
            throw new IllegalArgumentException("problem " + key + " must have incidents");
        }
    }

    /** The key of the problem of {@code subject} whose first outage started at {@code startEpochMillis}. */
    public static String keyOf(String subject, long startEpochMillis) {
        return "problem/" + subject + "@" + startEpochMillis;
    }

    /** Whether it is still open. */
    public boolean open() {
        return closure.isEmpty();
    }

    /** {@code open} or {@code closed}. */
    public String status() {
        return open() ? "open" : "closed";
    }

    /** The rule that opened it: {@code recurrence} or {@code same_outcome}. */
    public String rule() {
        return failure.isPresent() ? "same_outcome" : "recurrence";
    }

    /** The key in a form safe in a URL path segment, as {@link Incident#id()}. */
    public String id() {
        return Incident.idOf(key);
    }

    /** The problem as the API shows it. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id())
                .put("key", key)
                .put("subject", subject)
                .put("service", service.orElse(null))
                .put("status", status())
                .put("rule", rule())
                .put("failure", failure.orElse(null))
                .put("first_started_at", Instant.ofEpochMilli(firstStartedEpochMillis).toString())
                .put("last_started_at", Instant.ofEpochMilli(lastStartedEpochMillis).toString())
                .put("incident_count", incidents.size())
                .put("incidents", new JsonArray(incidents.stream().map(Incident::idOf).map(Object.class::cast)
                        .toList()))
                .put("pattern", pattern.toJson())
                .put("root_cause", closure.map(Closure::rootCause).orElse(null))
                .put("closed_by", closure.map(Closure::by).orElse(null))
                .put("closed_at", closure.map(c -> Instant.ofEpochMilli(c.closedEpochMillis()).toString())
                        .orElse(null));
    }
}
