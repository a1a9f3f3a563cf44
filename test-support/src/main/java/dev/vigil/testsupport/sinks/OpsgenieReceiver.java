package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A loopback stand-in for the Opsgenie Alert API v2 (and so for Jira Service Management Operations,
 * the same API under another base path) that keeps alerts the way Opsgenie does.
 *
 * <ul>
 * <li>Every request needs {@code Authorization: GenieKey <key>}; otherwise 401 "Could not authenticate".</li>
 * <li>Create ({@code POST /v2/alerts}), close ({@code POST /v2/alerts/{id}/close}) and add note
 * ({@code POST /v2/alerts/{id}/notes}) answer 202 with a {@code requestId}: Opsgenie processes them
 * asynchronously. Their outcome is at {@code GET /v2/alerts/requests/{requestId}}, which answers 404
 * "Request not found" for the first {@link #processAfterPolls} polls, then 200 with {@code isSuccess}
 * and a status text. (The receiver applies requests in arrival order at once and only hides the
 * outcome; for a sender that reads nothing else that is the same thing.)</li>
 * <li>Alerts are de-duplicated by {@code alias} among <em>open</em> alerts: a create with the alias of
 * an open alert increments its {@code count} instead of opening another. After the alert is closed, a
 * create with the same alias opens a new alert.</li>
 * <li>Closing or noting an alias that no alert has is accepted with 202, and its request status says
 * {@code isSuccess: false}, "Alert does not exist".</li>
 * <li>{@code GET /v2/alerts/{id}} returns the alert, with {@code report.ackTime} (milliseconds after
 * creation) and {@code report.acknowledgedBy} once {@link #acknowledge} was called.</li>
 * <li>Validation: a message longer than 130 characters, an alias longer than 512, a description longer
 * than 15,000, or a priority other than P1..P5 is refused with 422.</li>
 * <li>Injectable: the next answers 429 "You are making too many requests!" (without {@code Retry-After},
 * as Opsgenie does), and the next requests' processing failing with a given status text.</li>
 * </ul>
 * An {@code {id}} is an alert id, or an alias with {@code ?identifierType=alias}.
 */
public final class OpsgenieReceiver implements AutoCloseable {
    private static final Set<String> PRIORITIES = Set.of("P1", "P2", "P3", "P4", "P5");
    private static final String ALERTS = "/v2/alerts";

    /**
     * One alert as Opsgenie keeps it.
     *
     * @param id                   Opsgenie's id
     * @param alias                the alias it was created with
     * @param message              its message
     * @param description          its description
     * @param priority             P1..P5
     * @param entity               its entity, or null
     * @param source               its source, or null
     * @param tags                 its tags
     * @param details              its details
     * @param responders           the responders' names
     * @param open                 whether it is open (not closed)
     * @param count                1, plus one per create merged into it by alias
     * @param acknowledgedBy       who acknowledged it, or null
     * @param ackTimeMillis        milliseconds from creation to acknowledgement, or -1
     * @param createdAtEpochMillis when it was created
     * @param notes                the notes added to it, the close note included, oldest first
     */
    public record Alert(String id, String alias, String message, String description, String priority, String entity,
            String source, List<String> tags, Map<String, Object> details, List<String> responders, boolean open,
            int count, String acknowledgedBy, long ackTimeMillis, long createdAtEpochMillis, List<String> notes) {
        /** Whether someone acknowledged it. */
        public boolean acknowledged() {
            return acknowledgedBy != null;
        }
    }

    /**
     * One request as received.
     *
     * @param method  the HTTP method
     * @param path    the raw request path
     * @param query   the raw query, or an empty string
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status answered
     */
    public record Request(String method, String path, String query, Map<String, String> headers, String body,
            int status) {
        /** The body as parsed JSON, or empty when it is not a JSON object. */
        public Optional<Map<String, Object>> json() {
            return ReceivedJson.objectIn(body);
        }
    }

    private final String apiKey;
    private final String prefix;
    private final ReceiverServer server;
    private final List<Alert> alerts = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Outcome> outcomes = new HashMap<>();
    private final Deque<String> processingFailures = new ArrayDeque<>();
    private final ScriptedFailures failures = new ScriptedFailures();
    private final String integrationId = UUID.randomUUID().toString();
    private int pollsBeforeProcessed;

    /** A processed request's status, hidden for {@code pollsLeft} more polls. */
    private static final class Outcome {
        private final Map<String, Object> data;
        private int pollsLeft;

        private Outcome(Map<String, Object> data, int pollsLeft) {
            this.data = data;
            this.pollsLeft = pollsLeft;
        }
    }

    private record Answer(int status, Map<String, Object> body) {
    }

    private OpsgenieReceiver(String apiKey, String prefix) throws IOException {
        this.apiKey = apiKey;
        this.prefix = prefix;
        this.server = ReceiverServer.start("opsgenie", this::answer);
    }

    /** Starts a receiver on an ephemeral port of 127.0.0.1 that accepts {@code apiKey}, the API at the root. */
    public static OpsgenieReceiver start(String apiKey) throws IOException {
        return start(apiKey, "");
    }

    /**
     * Starts a receiver whose API lives under {@code prefix}, as Jira Service Management Operations' does
     * under {@code /jsm/ops/integration}; requests outside it get 404.
     */
    public static OpsgenieReceiver start(String apiKey, String prefix) throws IOException {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(prefix, "prefix");
        return new OpsgenieReceiver(apiKey, prefix);
    }

    private synchronized Reply answer(ReceiverServer.Incoming request) {
        URI uri = request.uri();
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Answer answer = route(request.method(), path, query, request.headers(), request.body());
        requests.add(new Request(request.method(), path, query, request.headers(), request.body(), answer.status()));
        Map<String, Object> body = new LinkedHashMap<>(answer.body());
        body.put("took", 0.003);
        body.putIfAbsent("requestId", UUID.randomUUID().toString());
        return new Reply(answer.status(), "application/json", ReceivedJson.write(body));
    }

    private Answer route(String method, String path, String query, Map<String, String> headers, String body) {
        if (!path.startsWith(prefix + ALERTS)) {
            return message(404, "No API at " + path);
        }
        if (!("GenieKey " + apiKey).equals(headers.get("authorization"))) {
            return message(401, "Could not authenticate");
        }
        if (failures.next().isPresent()) {
            return message(429, "You are making too many requests!");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.substring((prefix + ALERTS).length()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        boolean byAlias = ("&" + query + "&").contains("&identifierType=alias&");
        if (method.equals("POST") && segments.isEmpty()) {
            return create(body);
        }
        if (method.equals("GET") && segments.size() == 2 && segments.get(0).equals("requests")) {
            return status(segments.get(1));
        }
        if (method.equals("GET") && segments.size() == 1) {
            return find(segments.get(0), byAlias).map(i -> new Answer(200, Map.of("data", alertJson(alerts.get(i)))))
                    .orElseGet(() -> message(404, "Alert does not exist"));
        }
        if (method.equals("POST") && segments.size() == 2 && segments.get(1).equals("close")) {
            return close(segments.get(0), byAlias, body);
        }
        if (method.equals("POST") && segments.size() == 2 && segments.get(1).equals("notes")) {
            return note(segments.get(0), byAlias, body);
        }
        return message(404, "No API at " + method + " " + path);
    }

    private Answer create(String body) {
        Optional<Map<String, Object>> parsed = ReceivedJson.objectIn(body);
        if (parsed.isEmpty()) {
            return message(400, "Could not parse the request body");
        }
        Map<String, Object> request = parsed.get();
        Map<String, String> errors = new LinkedHashMap<>();
        String message = text(request, "message");
        if (message == null || message.isBlank()) {
            errors.put("message", "Message can not be empty.");
        } else if (message.length() > 130) {
            errors.put("message", "Message can not be longer than 130 characters.");
        }
        String alias = text(request, "alias");
        if (alias != null && alias.length() > 512) {
            errors.put("alias", "Alias can not be longer than 512 characters.");
        }
        String description = text(request, "description");
        if (description != null && description.length() > 15_000) {
            errors.put("description", "Description can not be longer than 15000 characters.");
        }
        String priority = text(request, "priority");
        if (priority != null && !PRIORITIES.contains(priority)) {
            errors.put("priority", "Priority should be one of [P1, P2, P3, P4, P5].");
        }
        if (!errors.isEmpty()) {
            return new Answer(422, Map.of("message", "Request body is not processable. Please check the errors.",
                    "errors", errors));
        }
        String effectiveAlias = alias == null ? UUID.randomUUID().toString() : alias;
        return accepted("Create", effectiveAlias, () -> {
            Optional<Integer> open = openByAlias(effectiveAlias);
            if (open.isPresent()) {
                Alert was = alerts.get(open.get());
                alerts.set(open.get(), new Alert(was.id(), was.alias(), was.message(), was.description(),
                        was.priority(), was.entity(), was.source(), was.tags(), was.details(), was.responders(),
                        true, was.count() + 1, was.acknowledgedBy(), was.ackTimeMillis(),
                        was.createdAtEpochMillis(), was.notes()));
                return success("Create", "Alert is de-duplicated", was);
            }
            List<String> responders = new ArrayList<>();
            if (request.get("responders") instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> responder && responder.get("name") != null) {
                        responders.add(String.valueOf(responder.get("name")));
                    }
                }
            }
            List<String> tags = new ArrayList<>();
            if (request.get("tags") instanceof List<?> list) {
                list.forEach(tag -> tags.add(String.valueOf(tag)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> details = request.get("details") instanceof Map<?, ?> map
                    ? Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) map)) : Map.of();
            Alert alert = new Alert(UUID.randomUUID().toString(), effectiveAlias, message,
                    description == null ? "" : description, priority == null ? "P3" : priority,
                    text(request, "entity"), text(request, "source"), List.copyOf(tags), details,
                    List.copyOf(responders), true, 1, null, -1, System.currentTimeMillis(), List.of());
            alerts.add(alert);
            return success("Create", "Created alert", alert);
        });
    }

    private Answer close(String identifier, boolean byAlias, String body) {
        String note = ReceivedJson.objectIn(body).map(json -> text(json, "note")).orElse(null);
        return accepted("Close", byAlias ? identifier : null, () -> {
            Optional<Integer> found = find(identifier, byAlias);
            if (found.isEmpty()) {
                return failure("Close", "Alert does not exist", byAlias ? identifier : null);
            }
            Alert was = alerts.get(found.get());
            List<String> notes = new ArrayList<>(was.notes());
            if (note != null) {
                notes.add(note);
            }
            alerts.set(found.get(), new Alert(was.id(), was.alias(), was.message(), was.description(),
                    was.priority(), was.entity(), was.source(), was.tags(), was.details(), was.responders(), false,
                    was.count(), was.acknowledgedBy(), was.ackTimeMillis(), was.createdAtEpochMillis(),
                    List.copyOf(notes)));
            return success("Close", "Closed alert", was);
        });
    }

    private Answer note(String identifier, boolean byAlias, String body) {
        String note = ReceivedJson.objectIn(body).map(json -> text(json, "note")).orElse(null);
        if (note == null || note.isBlank()) {
            return new Answer(422, Map.of("message", "Request body is not processable. Please check the errors.",
                    "errors", Map.of("note", "Note can not be empty.")));
        }
        if (note.length() > 25_000) {
            return new Answer(422, Map.of("message", "Request body is not processable. Please check the errors.",
                    "errors", Map.of("note", "Note can not be longer than 25000 characters.")));
        }
        return accepted("AddNote", byAlias ? identifier : null, () -> {
            Optional<Integer> found = find(identifier, byAlias);
            if (found.isEmpty()) {
                return failure("AddNote", "Alert does not exist", byAlias ? identifier : null);
            }
            Alert was = alerts.get(found.get());
            List<String> notes = new ArrayList<>(was.notes());
            notes.add(note);
            alerts.set(found.get(), new Alert(was.id(), was.alias(), was.message(), was.description(),
                    was.priority(), was.entity(), was.source(), was.tags(), was.details(), was.responders(),
                    was.open(), was.count(), was.acknowledgedBy(), was.ackTimeMillis(), was.createdAtEpochMillis(),
                    List.copyOf(notes)));
            return success("AddNote", "Added note", was);
        });
    }

    private Answer accepted(String action, String alias, Supplier<Map<String, Object>> process) {
        String requestId = UUID.randomUUID().toString();
        String failure = processingFailures.poll();
        Map<String, Object> data = failure != null ? failure(action, failure, alias) : process.get();
        outcomes.put(requestId, new Outcome(data, pollsBeforeProcessed));
        return new Answer(202, Map.of("result", "Request will be processed", "requestId", requestId));
    }

    private Answer status(String requestId) {
        Outcome outcome = outcomes.get(requestId);
        if (outcome == null || outcome.pollsLeft > 0) {
            if (outcome != null) {
                outcome.pollsLeft--;
            }
            return message(404, "Request not found. It might not be processed, yet.");
        }
        return new Answer(200, Map.of("data", outcome.data));
    }

    private Map<String, Object> success(String action, String status, Alert alert) {
        Map<String, Object> data = failure(action, status, alert.alias());
        data.put("success", true);
        data.put("isSuccess", true);
        data.put("alertId", alert.id());
        return data;
    }

    private Map<String, Object> failure(String action, String status, String alias) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("success", false);
        data.put("action", action);
        data.put("processedAt", Instant.now().toString());
        data.put("integrationId", integrationId);
        data.put("isSuccess", false);
        data.put("status", status);
        data.put("alertId", "");
        data.put("alias", alias == null ? "" : alias);
        return data;
    }

    private Map<String, Object> alertJson(Alert alert) {
        Map<String, Object> report = new LinkedHashMap<>();
        if (alert.acknowledged()) {
            report.put("ackTime", alert.ackTimeMillis());
            report.put("acknowledgedBy", alert.acknowledgedBy());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id());
        json.put("alias", alert.alias());
        json.put("message", alert.message());
        json.put("status", alert.open() ? "open" : "closed");
        json.put("acknowledged", alert.acknowledged());
        json.put("count", alert.count());
        json.put("createdAt", Instant.ofEpochMilli(alert.createdAtEpochMillis()).toString());
        json.put("source", alert.source());
        json.put("priority", alert.priority());
        json.put("tags", alert.tags());
        json.put("report", report);
        json.put("entity", alert.entity());
        json.put("description", alert.description());
        json.put("details", alert.details());
        return json;
    }

    /** An open alert with {@code alias} if there is one, else the latest alert with it; by id otherwise. */
    private Optional<Integer> find(String identifier, boolean byAlias) {
        if (byAlias) {
            Optional<Integer> open = openByAlias(identifier);
            if (open.isPresent()) {
                return open;
            }
        }
        for (int i = alerts.size() - 1; i >= 0; i--) {
            if ((byAlias ? alerts.get(i).alias() : alerts.get(i).id()).equals(identifier)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private Optional<Integer> openByAlias(String alias) {
        for (int i = 0; i < alerts.size(); i++) {
            if (alerts.get(i).open() && alerts.get(i).alias().equals(alias)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static String text(Map<String, Object> json, String name) {
        return json.get(name) instanceof String value ? value : null;
    }

    private static Answer message(int status, String message) {
        return new Answer(status, Map.of("message", message));
    }

    /**
     * Hides the outcome of each request accepted from now on for {@code polls} status polls (404
     * "Request not found" until then), as Opsgenie's asynchronous processing does; 0, the default,
     * reports it at the first poll.
     */
    public synchronized void processAfterPolls(int polls) {
        if (polls < 0) {
            throw new IllegalArgumentException("polls must be >= 0 (was " + polls + ")");
        }
        pollsBeforeProcessed = polls;
    }

    /** Fails the processing of the next accepted request: its status says {@code isSuccess: false}, {@code status}. */
    public synchronized void failNextProcessing(String status) {
        processingFailures.add(Objects.requireNonNull(status, "status"));
    }

    /** Answers the next {@code count} requests with 429, without a {@code Retry-After}. */
    public synchronized void rateLimitNext(int count) {
        failures.add(count, 429, Optional.empty());
    }

    /**
     * Acknowledges the open alert with {@code alias} as {@code user} would in Opsgenie, now.
     *
     * @throws IllegalArgumentException when no open alert has that alias
     */
    public synchronized void acknowledge(String alias, String user) {
        int index = openByAlias(alias).orElseThrow(
                () -> new IllegalArgumentException("no open alert has alias " + alias));
        Alert was = alerts.get(index);
        alerts.set(index, new Alert(was.id(), was.alias(), was.message(), was.description(), was.priority(),
                was.entity(), was.source(), was.tags(), was.details(), was.responders(), true, was.count(), user,
                Math.max(0, System.currentTimeMillis() - was.createdAtEpochMillis()), was.createdAtEpochMillis(),
                was.notes()));
    }

    /** Every alert created so far, in creation order. */
    public synchronized List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    /** The alerts created with {@code alias}, in creation order. */
    public synchronized List<Alert> alertsFor(String alias) {
        return alerts.stream().filter(alert -> alert.alias().equals(alias)).toList();
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The base URL to configure, {@code http://127.0.0.1:<port><prefix>}. */
    public URI baseUrl() {
        return server.url(prefix);
    }

    @Override
    public void close() {
        server.close();
    }
}
