package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A loopback stand-in for PagerDuty's Events API v2 ({@code POST /v2/enqueue}) that keeps incidents the
 * way PagerDuty does. An event with the wrong {@code routing_key} is refused with 400 "Invalid routing
 * key"; a trigger without summary, source or a valid severity with 400. Incidents are kept by
 * {@code dedup_key}: a trigger for a key with an open (triggered or acknowledged) incident is merged into
 * it; {@code acknowledge} and {@code resolve} change the open incident and are accepted and dropped when
 * there is none; and a trigger for a key whose incident is resolved opens a <em>new</em> incident, which
 * is why a trigger must never be delivered after its resolve.
 *
 * <p>Failures can be injected: the next answers 429 (PagerDuty sends no {@code Retry-After}) or 500
 * without processing, or the next events processed and the connection then dropped, so the sender
 * never learns that they were.
 */
public final class PagerDutyReceiver implements AutoCloseable {
    /** The path events are posted to. */
    public static final String PATH = "/v2/enqueue";
    private static final int MAX_SUMMARY = 1024;
    private static final int MAX_DEDUP_KEY = 255;
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    /** Where a PagerDuty incident stands. */
    public enum State {
        /** Open, nobody has taken it. */
        TRIGGERED,
        /** Open, someone took it. */
        ACKNOWLEDGED,
        /** Closed; a later trigger with its dedup key opens a new incident. */
        RESOLVED
    }

    /**
     * One incident as PagerDuty keeps it.
     *
     * @param number   1 for the first incident this receiver opened, 2 for the next...
     * @param dedupKey the event's {@code dedup_key}
     * @param state    triggered, acknowledged or resolved
     * @param triggers how many trigger events it took: 1, plus one per trigger merged into it
     * @param summary  the latest trigger's {@code payload.summary}
     * @param severity the latest trigger's {@code payload.severity}
     * @param payload  the latest trigger's whole {@code payload}
     */
    public record Incident(int number, String dedupKey, State state, int triggers, String summary, String severity,
            Map<String, Object> payload) {
        /** Whether it is still open (triggered or acknowledged). */
        public boolean open() {
            return state != State.RESOLVED;
        }
    }

    /**
     * One request as received.
     *
     * @param method  the HTTP method
     * @param path    the request path
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status answered, or -1 when the connection was dropped instead
     */
    public record Request(String method, String path, Map<String, String> headers, String body, int status) {
        /** The body as parsed JSON, or empty when it is not a JSON object. */
        public Optional<Map<String, Object>> json() {
            return ReceivedJson.objectIn(body);
        }
    }

    private final String routingKey;
    private final ReceiverServer server;
    private final List<Incident> incidents = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final ScriptedFailures failures = new ScriptedFailures();
    private int responsesToLose;

    private PagerDutyReceiver(String routingKey) throws IOException {
        this.routingKey = routingKey;
        this.server = ReceiverServer.start("pagerduty", this::answer);
    }

    /** Starts a receiver on an ephemeral port of 127.0.0.1 that takes events for {@code routingKey}. */
    public static PagerDutyReceiver start(String routingKey) throws IOException {
        Objects.requireNonNull(routingKey, "routingKey");
        return new PagerDutyReceiver(routingKey);
    }

    private record Answer(int status, Map<String, Object> body) {
    }

    private synchronized Reply answer(ReceiverServer.Incoming request) {
        String path = request.uri().getPath();
        Answer answer = process(request.method(), path, request.body());
        boolean lost = answer.status() == 202 && responsesToLose > 0;
        if (lost) {
            responsesToLose--;
        }
        requests.add(new Request(request.method(), path, request.headers(), request.body(),
                lost ? -1 : answer.status()));
        // A lost response: the event was processed, but the sender sees a dropped connection and cannot know it.
        return lost ? Reply.DROPPED : new Reply(answer.status(), "application/json", ReceivedJson.write(answer.body()));
    }

    private Answer process(String method, String path, String body) {
        if (!path.equals(PATH)) {
            return new Answer(404, Map.of("status", "not found", "message", "No route for " + path));
        }
        if (!method.equals("POST")) {
            return new Answer(405, Map.of("status", "method not allowed", "message", "Use POST"));
        }
        Optional<ScriptedFailures.Failure> failure = failures.next();
        if (failure.isPresent()) {
            int scripted = failure.get().status();
            return scripted == 429
                    ? new Answer(429, Map.of("status", "throttle event",
                            "message", "Requests for this service are arriving too quickly. Please retry later."))
                    : new Answer(scripted, Map.of("status", "error", "message", "Internal Server Error"));
        }
        Optional<Map<String, Object>> parsed = ReceivedJson.objectIn(body);
        if (parsed.isEmpty()) {
            return invalid("Event object is invalid", "Malformed JSON");
        }
        Map<String, Object> event = parsed.get();
        if (!routingKey.equals(event.get("routing_key"))) {
            return invalid("Event object is invalid", "Invalid routing key");
        }
        Object action = event.get("event_action");
        Object dedup = event.get("dedup_key");
        if (dedup != null && !(dedup instanceof String)) {
            return invalid("Event object is invalid", "'dedup_key' must be a string");
        }
        String dedupKey = (String) dedup;
        if (dedupKey != null && dedupKey.length() > MAX_DEDUP_KEY) {
            return invalid("Event object is invalid", "'dedup_key' must be at most 255 characters");
        }
        if ("trigger".equals(action)) {
            return trigger(event, dedupKey == null ? UUID.randomUUID().toString().replace("-", "") : dedupKey);
        }
        if ("acknowledge".equals(action) || "resolve".equals(action)) {
            if (dedupKey == null || dedupKey.isEmpty()) {
                return invalid("Event object is invalid", "'dedup_key' is missing or blank");
            }
            change(dedupKey, "acknowledge".equals(action) ? State.ACKNOWLEDGED : State.RESOLVED);
            return accepted(dedupKey);
        }
        return invalid("Event object is invalid", "'event_action' is missing or invalid");
    }

    private Answer trigger(Map<String, Object> event, String dedupKey) {
        if (!(event.get("payload") instanceof Map<?, ?> raw)) {
            return invalid("Event object is invalid", "'payload' is missing or not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) raw;
        List<String> errors = new ArrayList<>();
        if (!(payload.get("summary") instanceof String summary) || summary.isBlank()) {
            errors.add("'payload.summary' is missing or blank");
        } else if (summary.length() > MAX_SUMMARY) {
            errors.add("'payload.summary' must be at most 1024 characters");
        }
        if (!(payload.get("source") instanceof String source) || source.isBlank()) {
            errors.add("'payload.source' is missing or blank");
        }
        if (!(payload.get("severity") instanceof String severity) || !SEVERITIES.contains(severity)) {
            errors.add("'payload.severity' is missing or invalid (must be critical, error, warning or info)");
        }
        if (!errors.isEmpty()) {
            return new Answer(400, Map.of("status", "invalid event", "message", "Event object is invalid",
                    "errors", errors));
        }
        String summary = (String) payload.get("summary");
        String severity = (String) payload.get("severity");
        int open = openIndex(dedupKey);
        if (open >= 0) {
            Incident merged = incidents.get(open);
            incidents.set(open, new Incident(merged.number(), dedupKey, merged.state(), merged.triggers() + 1,
                    summary, severity, payload));
        } else {
            incidents.add(new Incident(incidents.size() + 1, dedupKey, State.TRIGGERED, 1, summary, severity, payload));
        }
        return accepted(dedupKey);
    }

    private void change(String dedupKey, State state) {
        int open = openIndex(dedupKey);
        if (open >= 0) {
            Incident was = incidents.get(open);
            incidents.set(open, new Incident(was.number(), dedupKey, state, was.triggers(), was.summary(),
                    was.severity(), was.payload()));
        }
    }

    private int openIndex(String dedupKey) {
        for (int i = incidents.size() - 1; i >= 0; i--) {
            Incident incident = incidents.get(i);
            if (incident.dedupKey().equals(dedupKey) && incident.open()) {
                return i;
            }
        }
        return -1;
    }

    private static Answer accepted(String dedupKey) {
        return new Answer(202, Map.of("status", "success", "message", "Event processed", "dedup_key", dedupKey));
    }

    private static Answer invalid(String message, String error) {
        return new Answer(400, Map.of("status", "invalid event", "message", message, "errors", List.of(error)));
    }

    /** Answers the next {@code count} events with {@code status} (429 or a 5xx) without processing them. */
    public synchronized void failNext(int count, int status) {
        failures.add(count, status, Optional.empty());
    }

    /** Processes the next {@code count} accepted events, then drops their connections instead of answering. */
    public synchronized void loseNextResponses(int count) {
        responsesToLose += count;
    }

    /** Every incident opened so far, in opening order. */
    public synchronized List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    /** The incidents opened for {@code dedupKey}, in opening order. */
    public synchronized List<Incident> incidentsFor(String dedupKey) {
        return incidents.stream().filter(incident -> incident.dedupKey().equals(dedupKey)).toList();
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The events URL, {@code http://127.0.0.1:<port>/v2/enqueue}. */
    public URI url() {
        return server.url(PATH);
    }

    @Override
    public void close() {
        server.close();
    }
}
