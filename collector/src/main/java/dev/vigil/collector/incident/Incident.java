package dev.vigil.collector.incident;

import dev.vigil.collector.state.CheckKey;
import dev.vigil.protocol.Outcome;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One outage of one check, as reported to people and their tools. Its key is deterministic,
 * {@code <agent>/<check>@<outage start epoch millis>}, so the same outage always has the same key, on
 * replay and across restarts.
 *
 * @param key                  {@code <agent>/<check>@<startedEpochMillis>}
 * @param check                the check that went down
 * @param status               open or resolved
 * @param startedEpochMillis   the outage start: scheduled time of the first failed sample of the confirming run
 * @param detectedEpochMillis  when the collector received the sample that confirmed the outage
 * @param resolvedEpochMillis  the outage end (first successful sample of the recovering run), once resolved
 * @param outcome              the confirming sample's outcome
 * @param detail               the confirming sample's failure detail
 * @param openedJournalIndex   the collector journal index of the confirming sample
 */
public record Incident(
        String key,
        CheckKey check,
        IncidentStatus status,
        long startedEpochMillis,
        long detectedEpochMillis,
        OptionalLong resolvedEpochMillis,
        Outcome outcome,
        String detail,
        long openedJournalIndex) {

    /** Validates the key and that status and resolution agree. */
    public Incident {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resolvedEpochMillis, "resolvedEpochMillis");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (!keyOf(check, startedEpochMillis).equals(key)) {
            throw new IllegalArgumentException("incident key must be " + keyOf(check, startedEpochMillis)
                    + " (was " + key + ")");
        }
        if ((status == IncidentStatus.RESOLVED) != resolvedEpochMillis.isPresent()) {
            throw new IllegalArgumentException("a resolved incident, and only one, has a resolution time");
        }
    }

    /** Opens an incident for an outage of {@code check} starting at {@code startedEpochMillis}. */
    public static Incident open(CheckKey check, long startedEpochMillis, long detectedEpochMillis,
            Outcome outcome, String detail, long openedJournalIndex) {
        return new Incident(keyOf(check, startedEpochMillis), check, IncidentStatus.OPEN, startedEpochMillis,
                detectedEpochMillis, OptionalLong.empty(), outcome, detail, openedJournalIndex);
    }

    /** The key of the incident of {@code check}'s outage starting at {@code startedEpochMillis}. */
    public static String keyOf(CheckKey check, long startedEpochMillis) {
        return check.id() + "@" + startedEpochMillis;
    }

    /** This incident resolved at {@code resolvedEpochMillis}, the outage end. */
    public Incident resolve(long resolvedEpochMillis) {
        if (status != IncidentStatus.OPEN) {
            throw new IllegalStateException("incident " + key + " is already resolved");
        }
        return new Incident(key, check, IncidentStatus.RESOLVED, startedEpochMillis, detectedEpochMillis,
                OptionalLong.of(resolvedEpochMillis), outcome, detail, openedJournalIndex);
    }

    /**
     * The key in a form safe in a URL path segment: RFC 3986 unreserved characters as they are, every
     * other UTF-8 byte percent-encoded (so {@code a/web@1} is {@code a%2Fweb%401}).
     */
    public String id() {
        StringBuilder id = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                id.append(c);
            } else {
                id.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return id.toString();
    }

    /**
     * The incident as JSON (without deliveries).
     *
     * @param nowEpochMillis the time an open incident's duration runs to, or empty to leave it null
     */
    public JsonObject toJson(OptionalLong nowEpochMillis) {
        Double durationSeconds = null;
        if (resolvedEpochMillis.isPresent()) {
            durationSeconds = (resolvedEpochMillis.getAsLong() - startedEpochMillis) / 1000.0;
        } else if (nowEpochMillis.isPresent()) {
            durationSeconds = Math.max(0, nowEpochMillis.getAsLong() - startedEpochMillis) / 1000.0;
        }
        return new JsonObject()
                .put("id", id())
                .put("key", key)
                .put("agent", check.agent())
                .put("check", check.check())
                .put("status", status.label())
                .put("startedAt", Instant.ofEpochMilli(startedEpochMillis).toString())
                .put("detectedAt", Instant.ofEpochMilli(detectedEpochMillis).toString())
                .put("resolvedAt", resolvedEpochMillis.isPresent()
                        ? Instant.ofEpochMilli(resolvedEpochMillis.getAsLong()).toString() : null)
                .put("durationSeconds", durationSeconds)
                .put("outcome", outcome.name())
                .put("detail", detail);
    }
}
