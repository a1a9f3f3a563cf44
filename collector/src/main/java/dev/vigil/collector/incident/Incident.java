package dev.vigil.collector.incident;

import dev.vigil.collector.state.CheckKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An incident as recorded and as reported to people and their tools. Immutable: the book replaces it
 * as it changes. Its key is derived from the data (kind, subject, start), so the same outage has the
 * same key on every replay and after every restart, and every sink's own dedup field is set from it.
 *
 * @param key                  {@code <kind subject>@<start epoch millis>}: see {@link IncidentKeys}
 * @param kind                 outage, burn rate, budget exhausted or external alert
 * @param title                one line for people: "checkout is down"
 * @param service              the catalogue service, if the incident is about one
 * @param checks               the check locations involved (down at opening, or added when escalated)
 * @param status               open or resolved
 * @param impact               how much is affected
 * @param urgency              how soon it must be handled
 * @param priority             from impact and urgency by the priority matrix
 * @param startedEpochMillis   when it started: the outage start (first failed sample of the confirming run)
 * @param detectedEpochMillis  when the collector knew: the receive time of the confirming sample
 * @param resolvedEpochMillis  when it ended (the outage end), once resolved
 * @param acknowledgement      who took it on, once someone did
 * @param suppression          why it is muted, while it is; a resolved incident keeps it if it resolved
 *                             muted, which tells that the sinks never heard of it
 * @param detail               what failed: the confirming sample's outcome and detail, or the alert's text
 * @param labels               context for routing and people: owner, customer, tier, alert labels
 * @param outages              how many outages it covers: more than one when flapping was damped
 * @param timeline             what happened to it, oldest first
 * @param openedJournalIndex   the collector journal index of the sample that opened it; -1 when not
 *                             opened by a sample
 */
public record Incident(
        String key,
        IncidentKind kind,
        String title,
        Optional<String> service,
        List<CheckKey> checks,
        IncidentStatus status,
        Level impact,
        Level urgency,
        Priority priority,
        long startedEpochMillis,
        long detectedEpochMillis,
        OptionalLong resolvedEpochMillis,
        Optional<Acknowledgement> acknowledgement,
        Optional<Suppression> suppression,
        String detail,
        Map<String, String> labels,
        int outages,
        List<IncidentNote> timeline,
        long openedJournalIndex) {

    /** Validates presence, and that status and resolution agree. */
    public Incident {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(impact, "impact");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(resolvedEpochMillis, "resolvedEpochMillis");
        Objects.requireNonNull(acknowledgement, "acknowledgement");
        Objects.requireNonNull(suppression, "suppression");
        Objects.requireNonNull(detail, "detail");
        checks = List.copyOf(checks);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        timeline = List.copyOf(timeline);
        if (key.isBlank()) {
            throw new IllegalArgumentException("incident key must not be blank");
        }
        if ((status == IncidentStatus.RESOLVED) != resolvedEpochMillis.isPresent()) {
            throw new IllegalArgumentException("a resolved incident, and only one, has a resolution time (" + key + ")");
        }
        if (outages < 0) {
            throw new IllegalArgumentException("outages must be >= 0 (was " + outages + ")");
        }
    }

    /** Whether it is muted now. */
    public boolean muted() {
        return suppression.isPresent();
    }

    /**
     * This incident resolved at {@code resolvedEpochMillis}, with a note. A muted one stays muted: the sinks
     * were never told it opened, so they are not told it resolved either.
     */
    public Incident resolve(long resolvedEpochMillis, String note) {
        if (status != IncidentStatus.OPEN) {
            throw new IllegalStateException("incident " + key + " is already resolved");
        }
        return new Incident(key, kind, title, service, checks, IncidentStatus.RESOLVED, impact, urgency, priority,
                startedEpochMillis, detectedEpochMillis, OptionalLong.of(resolvedEpochMillis), acknowledgement,
                suppression, detail, labels, outages, noted(resolvedEpochMillis, note), openedJournalIndex);
    }

    /** This incident with more checks involved, and a note: an escalation. Its priority stays. */
    public Incident escalate(List<CheckKey> newChecks, long atEpochMillis, String note) {
        return new Incident(key, kind, title, service, newChecks, status, impact, urgency, priority,
                startedEpochMillis, detectedEpochMillis, resolvedEpochMillis, acknowledgement, suppression, detail,
                labels, outages, noted(atEpochMillis, note), openedJournalIndex);
    }

    /** This incident acknowledged. */
    public Incident acknowledge(Acknowledgement ack) {
        String who = ack.by().isEmpty() ? "" : " by " + ack.by();
        return new Incident(key, kind, title, service, checks, status, impact, urgency, priority, startedEpochMillis,
                detectedEpochMillis, resolvedEpochMillis, Optional.of(ack), suppression, detail, labels, outages,
                noted(ack.atEpochMillis(), "acknowledged" + who + " (" + ack.source() + ")"), openedJournalIndex);
    }

    /** This incident muted for {@code why}, or unmuted when empty, with a note. */
    public Incident suppress(Optional<Suppression> why, long atEpochMillis) {
        String note = why.map(s -> "muted: " + s.reason().label() + ", " + s.detail()).orElse("unmuted");
        return new Incident(key, kind, title, service, checks, status, impact, urgency, priority, startedEpochMillis,
                detectedEpochMillis, resolvedEpochMillis, acknowledgement, why, detail, labels, outages,
                noted(atEpochMillis, note), openedJournalIndex);
    }

    /** This incident covering one more outage (flapping damped), with a note. */
    public Incident anotherOutage(long atEpochMillis, String note) {
        return new Incident(key, kind, title, service, checks, status, impact, urgency, priority, startedEpochMillis,
                detectedEpochMillis, resolvedEpochMillis, acknowledgement, suppression, detail, labels, outages + 1,
                noted(atEpochMillis, note), openedJournalIndex);
    }

    /** This incident with one more line in its timeline. */
    public Incident withNote(long atEpochMillis, String text) {
        return new Incident(key, kind, title, service, checks, status, impact, urgency, priority, startedEpochMillis,
                detectedEpochMillis, resolvedEpochMillis, acknowledgement, suppression, detail, labels, outages,
                noted(atEpochMillis, text), openedJournalIndex);
    }

    private List<IncidentNote> noted(long atEpochMillis, String text) {
        List<IncidentNote> notes = new ArrayList<>(timeline);
        notes.add(new IncidentNote(atEpochMillis, text));
        return notes;
    }

    /**
     * The key in a form safe in a URL path segment: RFC 3986 unreserved characters as they are, every
     * other UTF-8 byte percent-encoded (so {@code service/web@1} is {@code service%2Fweb%401}).
     */
    public String id() {
        return idOf(key);
    }

    /** {@link #id()} of {@code key}. */
    public static String idOf(String key) {
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
     * The incident as JSON, the form of the API and of webhook payloads; {@link #fromJson} reads it back.
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
        JsonArray checkList = new JsonArray();
        for (CheckKey check : checks) {
            checkList.add(new JsonObject().put("agent", check.agent()).put("check", check.check()));
        }
        JsonArray notes = new JsonArray();
        for (IncidentNote note : timeline) {
            notes.add(new JsonObject().put("at", instant(note.atEpochMillis())).put("text", note.text()));
        }
        JsonObject labelJson = new JsonObject();
        labels.forEach(labelJson::put);
        return new JsonObject()
                .put("id", id())
                .put("key", key)
                .put("kind", kind.label())
                .put("title", title)
                .put("service", service.orElse(null))
                .put("checks", checkList)
                .put("status", status.label())
                .put("priority", priority.name())
                .put("impact", impact.label())
                .put("urgency", urgency.label())
                .put("startedAt", instant(startedEpochMillis))
                .put("detectedAt", instant(detectedEpochMillis))
                .put("acknowledgedAt", acknowledgement.map(a -> instant(a.atEpochMillis())).orElse(null))
                .put("acknowledgedBy", acknowledgement.map(Acknowledgement::by).orElse(null))
                .put("acknowledgedVia", acknowledgement.map(Acknowledgement::source).orElse(null))
                .put("resolvedAt", resolvedEpochMillis.isPresent() ? instant(resolvedEpochMillis.getAsLong()) : null)
                .put("durationSeconds", durationSeconds)
                .put("muted", suppression.map(s -> new JsonObject().put("reason", s.reason().label())
                        .put("detail", s.detail())).orElse(null))
                .put("detail", detail)
                .put("labels", labelJson)
                .put("outages", outages)
                .put("timeline", notes)
                .put("openedJournalIndex", openedJournalIndex);
    }

    /** Reads back what {@link #toJson} wrote. */
    public static Incident fromJson(JsonObject json) {
        List<CheckKey> checks = new ArrayList<>();
        for (Object item : json.getJsonArray("checks")) {
            JsonObject check = (JsonObject) item;
            checks.add(new CheckKey(check.getString("agent"), check.getString("check")));
        }
        List<IncidentNote> notes = new ArrayList<>();
        for (Object item : json.getJsonArray("timeline")) {
            JsonObject note = (JsonObject) item;
            notes.add(new IncidentNote(millis(note.getString("at")), note.getString("text")));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        json.getJsonObject("labels").forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
        Optional<Acknowledgement> ack = Optional.ofNullable(json.getString("acknowledgedAt"))
                .map(at -> new Acknowledgement(millis(at), json.getString("acknowledgedBy"),
                        json.getString("acknowledgedVia")));
        JsonObject muted = json.getJsonObject("muted");
        Optional<Suppression> suppression = muted == null ? Optional.empty()
                : Optional.of(new Suppression(Suppression.Reason.valueOf(muted.getString("reason").toUpperCase(
                        java.util.Locale.ROOT)), muted.getString("detail")));
        String resolvedAt = json.getString("resolvedAt");
        return new Incident(json.getString("key"),
                IncidentKind.valueOf(json.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                json.getString("title"), Optional.ofNullable(json.getString("service")), checks,
                IncidentStatus.valueOf(json.getString("status").toUpperCase(java.util.Locale.ROOT)),
                Level.valueOf(json.getString("impact").toUpperCase(java.util.Locale.ROOT)),
                Level.valueOf(json.getString("urgency").toUpperCase(java.util.Locale.ROOT)),
                Priority.valueOf(json.getString("priority")), millis(json.getString("startedAt")),
                millis(json.getString("detectedAt")),
                resolvedAt == null ? OptionalLong.empty() : OptionalLong.of(millis(resolvedAt)), ack, suppression,
                json.getString("detail"), labels, json.getInteger("outages"), notes,
                json.getLong("openedJournalIndex"));
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
