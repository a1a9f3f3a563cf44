package dev.vigil.collector.change;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One recorded change to a catalogue service.
 *
 * @param id                  the collector's id for it, {@code chg-<n>}
 * @param service             the catalogue service changed
 * @param summary             what was changed, one line, 1..500 characters
 * @param by                  who changed it, 1..200 characters
 * @param startEpochMillis    when the change began
 * @param endEpochMillis      when it ended; none while it is open-ended
 * @param risk                the risk it was judged to carry
 * @param rollbackPlan        how to undo it, free text (may be empty), at most 2000 characters
 * @param externalId          the id the recording system gave it (a deployment id, a ticket), unique among
 *                            changes; a second record with the same one is the same change
 * @param approved            whether it went through approval
 * @param source              how it arrived: {@code api} or {@code pagerduty}
 * @param links               related URLs (pipeline run, pull request), possibly none
 * @param recordedEpochMillis when the collector recorded it
 */
public record Change(String id, String service, String summary, String by, long startEpochMillis,
        OptionalLong endEpochMillis, ChangeRisk risk, String rollbackPlan, Optional<String> externalId,
        boolean approved, String source, List<String> links, long recordedEpochMillis) {
    private static final Pattern ID = Pattern.compile("chg-[1-9][0-9]{0,17}");

    /** Validates every field, naming it in the message. */
    public Change {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(endEpochMillis, "endEpochMillis");
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(rollbackPlan, "rollbackPlan");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(source, "source");
        links = List.copyOf(links);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be chg-<number> (was '" + id + "')");
        }
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        text("summary", summary, 1, 500);
        text("by", by, 1, 200);
        text("rollback_plan", rollbackPlan, 0, 2000);
        externalId.ifPresent(external -> text("external_id", external, 1, 200));
        if (endEpochMillis.isPresent() && endEpochMillis.getAsLong() < startEpochMillis) {
            throw new IllegalArgumentException("end must not be before start (was "
                    + Instant.ofEpochMilli(endEpochMillis.getAsLong()) + " < " + Instant.ofEpochMilli(startEpochMillis)
                    + ")");
        }
        if (!source.equals("api") && !source.equals("pagerduty")) {
            throw new IllegalArgumentException("source must be api or pagerduty (was '" + source + "')");
        }
        if (links.size() > 20) {
            throw new IllegalArgumentException("links must hold at most 20 URLs (was " + links.size() + ")");
        }
        for (int i = 0; i < links.size(); i++) {
            text("links[" + i + "]", links.get(i), 1, 2000);
        }
    }

    /** The same change under {@code newId}. */
    public Change withId(String newId) {
        return new Change(newId, service, summary, by, startEpochMillis, endEpochMillis, risk, rollbackPlan,
                externalId, approved, source, links, recordedEpochMillis);
    }

    /** Whether the change was under way at some instant of {@code [fromEpochMillis, toEpochMillis]}. */
    public boolean overlaps(long fromEpochMillis, long toEpochMillis) {
        return startEpochMillis <= toEpochMillis && endEpochMillis.orElse(Long.MAX_VALUE) >= fromEpochMillis;
    }

    /** The change as the API shows it and the store keeps it; times in RFC 3339. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("service", service)
                .put("summary", summary)
                .put("by", by)
                .put("start", Instant.ofEpochMilli(startEpochMillis).toString())
                .put("end", endEpochMillis.isPresent() ? Instant.ofEpochMilli(endEpochMillis.getAsLong()).toString()
                        : null)
                .put("risk", risk.label())
                .put("rollback_plan", rollbackPlan)
                .put("external_id", externalId.orElse(null))
                .put("approved", approved)
                .put("source", source)
                .put("links", new JsonArray(links))
                .put("recorded", Instant.ofEpochMilli(recordedEpochMillis).toString());
    }

    /** The change {@link #toJson()} wrote; throws {@link IllegalArgumentException} on anything else. */
    public static Change fromJson(JsonObject json) {
        try {
            String end = json.getString("end");
            JsonArray links = json.getJsonArray("links", new JsonArray());
            return new Change(json.getString("id"), json.getString("service"), json.getString("summary"),
                    json.getString("by"), Instant.parse(json.getString("start")).toEpochMilli(),
                    end == null ? OptionalLong.empty() : OptionalLong.of(Instant.parse(end).toEpochMilli()),
                    ChangeRisk.parse(json.getString("risk"), "risk"), json.getString("rollback_plan", ""),
                    Optional.ofNullable(json.getString("external_id")), json.getBoolean("approved", false),
                    json.getString("source", "api"), links.stream().map(String.class::cast).toList(),
                    Instant.parse(json.getString("recorded")).toEpochMilli());
        } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a stored change: " + e.getMessage() + " in " + json.encode(), e);
        }
    }

    private static void text(String field, String value, int min, int max) {
        if (value.strip().length() < min || value.length() > max) {
            throw new IllegalArgumentException(field + " must be " + min + ".." + max + " characters (was "
                    + value.length() + ")");
        }
    }
}
