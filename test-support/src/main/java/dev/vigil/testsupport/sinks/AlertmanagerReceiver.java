package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A loopback stand-in for Prometheus Alertmanager's API v2 alert endpoints, modelling what a sender
 * depends on: alerts are identified by their label set (the fingerprint, computed as Alertmanager
 * does); a post for a known label set updates that alert instead of adding one, merged as Alertmanager
 * merges (the earliest start wins; a post after the alert resolved starts it again); an {@code endsAt}
 * that has passed resolves it; an alert posted without {@code endsAt} gets {@code now + resolve timeout}
 * and so resolves by itself unless it is posted again in time. Invalid alerts get Alertmanager's
 * answers: 400 with a JSON string naming the problem (empty label set, bad label name, end before
 * start; the valid alerts of the same post are still taken), 400 with {@code {"code":400,...}} for an
 * unreadable body or timestamp, 422 for a missing {@code labels}. {@code GET /api/v2/alerts} lists the
 * active alerts with Alertmanager's fields and its {@code filter} matchers; {@code /-/ready} answers 200.
 *
 * <p>Failures can be scripted ({@link #failNext}), and a bearer token required, as a proxy in front of
 * Alertmanager would ({@link #requireBearerToken}).
 */
public final class AlertmanagerReceiver implements AutoCloseable {
    /** Alertmanager's default {@code resolve_timeout}. */
    public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofMinutes(5);

    private static final String ALERTS_PATH = "/api/v2/alerts";
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    // Go's time.RFC3339 as the API parses it: a four-digit year, seconds, optional fraction, a zone.
    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern MATCHER =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"(.*)\"\\s*");
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String RECEIVER_NAME = "vigil";

    /**
     * An alert as this receiver holds it.
     *
     * @param fingerprint  Alertmanager's fingerprint of the label set, 16 hex digits
     * @param labels       the label set, sorted by name
     * @param annotations  the annotations of the latest post
     * @param startsAt     when it started
     * @param endsAt       when it ends or ended: posted, or the resolve timeout after the latest post
     * @param updatedAt    when it was last posted
     * @param generatorUrl the {@code generatorURL}, if posted
     * @param timeout      whether {@code endsAt} comes from the resolve timeout rather than the sender
     * @param firings      how many times it went from unknown or resolved to firing: each one is a new
     *                     firing notification in Alertmanager
     * @param resolved     whether {@code endsAt} had passed when this copy was taken
     */
    public record Alert(String fingerprint, Map<String, String> labels, Map<String, String> annotations,
            Instant startsAt, Instant endsAt, Instant updatedAt, Optional<String> generatorUrl, boolean timeout,
            int firings, boolean resolved) {

        /** The value of label {@code name}, or null. */
        public String label(String name) {
            return labels.get(name);
        }
    }

    /**
     * One {@code POST /api/v2/alerts} as received.
     *
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status answered
     * @param answer  the body answered
     */
    public record Post(Map<String, String> headers, String body, int status, String answer) {
    }

    /** A post that does not match the API's schema: refused whole, before any alert is taken. */
    private static final class SchemaException extends Exception {
        private final int status;

        SchemaException(int status, String json) {
            super(json);
            this.status = status;
        }
    }

    private final ReceiverServer server;
    private final Duration resolveTimeout;
    private final InstantSource clock;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final List<Post> posts = new ArrayList<>();
    private final ScriptedFailures scriptedFailures = new ScriptedFailures();
    private Optional<String> bearerToken = Optional.empty();

    private AlertmanagerReceiver(Duration resolveTimeout, InstantSource clock) throws IOException {
        this.resolveTimeout = resolveTimeout;
        this.clock = clock;
        this.server = ReceiverServer.start("alertmanager", this::route);
    }

    /** Starts a receiver with Alertmanager's default resolve timeout, 5 minutes. */
    public static AlertmanagerReceiver start() throws IOException {
        return start(DEFAULT_RESOLVE_TIMEOUT, InstantSource.system());
    }

    /**
     * Starts a receiver on an ephemeral port of 127.0.0.1.
     *
     * @param resolveTimeout how long an alert posted without {@code endsAt} stays firing unless posted
     *                       again, &gt; 0 (Alertmanager's {@code resolve_timeout}; a few seconds in tests)
     * @param clock          the receiver's time, which decides what has resolved
     */
    public static AlertmanagerReceiver start(Duration resolveTimeout, InstantSource clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        if (resolveTimeout.isZero() || resolveTimeout.isNegative()) {
            throw new IllegalArgumentException("resolveTimeout must be > 0 (was " + resolveTimeout + ")");
        }
        return new AlertmanagerReceiver(resolveTimeout, clock);
    }

    /**
     * Answers the next {@code count} posts with {@code status} and no alert taken, as an overloaded
     * Alertmanager or its proxy would.
     */
    public synchronized void failNext(int count, int status) {
        failNext(count, status, Optional.empty());
    }

    /** Like {@link #failNext(int, int)}, with a {@code Retry-After} header of whole seconds, if given. */
    public synchronized void failNext(int count, int status, Optional<Duration> retryAfter) {
        scriptedFailures.add(count, status, retryAfter);
    }

    /** Answers 401 to posts without {@code Authorization: Bearer <token>}, as an authenticating proxy does. */
    public synchronized void requireBearerToken(String token) {
        bearerToken = Optional.of(token);
    }

    /** Every alert ever taken, resolved ones included, in the order first posted. */
    public synchronized List<Alert> alerts() {
        Instant now = clock.instant();
        return alerts.values().stream().map(alert -> snapshot(alert, now)).toList();
    }

    /** The alerts still firing: what {@code GET /api/v2/alerts} lists. */
    public synchronized List<Alert> activeAlerts() {
        return alerts().stream().filter(alert -> !alert.resolved()).toList();
    }

    /**
     * The alert whose {@code vigil_key} label is {@code vigilKey}, if any.
     *
     * @throws IllegalStateException when more than one label set carries it: the sender's labels changed
     *                               during the incident, so Alertmanager would show two alerts
     */
    public synchronized Optional<Alert> alert(String vigilKey) {
        List<Alert> matching = alerts().stream().filter(alert -> vigilKey.equals(alert.label("vigil_key"))).toList();
        if (matching.size() > 1) {
            throw new IllegalStateException(matching.size() + " alerts carry vigil_key=" + vigilKey + ": "
                    + matching.stream().map(alert -> alert.labels().toString()).collect(Collectors.joining(" and ")));
        }
        return matching.stream().findFirst();
    }

    /** Every post received so far, in arrival order. */
    public synchronized List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The base URL to configure a sink with, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return server.url("");
    }

    @Override
    public void close() {
        server.close();
    }

    private Reply route(ReceiverServer.Incoming request) {
        String path = request.uri().getPath();
        if (path.equals("/-/ready") || path.equals("/-/healthy")) {
            return reply(200, "OK");
        }
        if (!path.equals(ALERTS_PATH)) {
            return reply(404, "404 page not found");
        }
        return switch (request.method()) {
            case "POST" -> post(request.headers(), request.body());
            case "GET" -> get(request.uri().getRawQuery());
            default -> reply(405, "method not allowed");
        };
    }

    /** Alertmanager answers JSON (an object, a list or a string) as such, and anything else as plain text. */
    private static Reply reply(int status, String body, Optional<Duration> retryAfter) {
        boolean json = body.startsWith("{") || body.startsWith("[") || body.startsWith("\"");
        return new Reply(status, json ? "application/json" : "text/plain; charset=utf-8", body, retryAfter);
    }

    private static Reply reply(int status, String body) {
        return reply(status, body, Optional.empty());
    }

    private synchronized Reply post(Map<String, String> headers, String body) {
        Reply reply = answer(headers, body);
        posts.add(new Post(headers, body, reply.status(), reply.body()));
        return reply;
    }

    private Reply answer(Map<String, String> headers, String body) {
        Optional<ScriptedFailures.Failure> failure = scriptedFailures.next();
        if (failure.isPresent()) {
            return reply(failure.get().status(), "{\"error\":\"scripted failure\"}", failure.get().retryAfter());
        }
        if (bearerToken.isPresent() && !("Bearer " + bearerToken.get()).equals(headers.get("authorization"))) {
            return reply(401, "{\"error\":\"missing or wrong bearer token\"}");
        }
        List<Alert> posted;
        try {
            posted = parse(body);
        } catch (SchemaException e) {
            return reply(e.status, e.getMessage());
        }
        Instant now = clock.instant();
        List<String> errors = new ArrayList<>();
        for (Alert alert : posted) {
            Alert complete = withDefaults(alert, now);
            Optional<String> error = validate(complete);
            if (error.isPresent()) {
                errors.add(error.get());
            } else {
                take(complete, now);
            }
        }
        // Alertmanager keeps the valid alerts of a post and names the invalid ones in a 400.
        return errors.isEmpty() ? reply(200, "") : reply(400, ReceivedJson.write(String.join("; ", errors)) + "\n");
    }

    private List<Alert> parse(String body) throws SchemaException {
        Object json;
        try {
            json = ReceivedJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw parseError(e.getMessage());
        }
        if (!(json instanceof List<?> list)) {
            throw parseError("json: cannot unmarshal " + goType(json)
                    + " into Go value of type models.PostableAlerts");
        }
        List<Alert> posted = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> alert)) {
                throw parseError("json: cannot unmarshal " + goType(list.get(i))
                        + " into Go value of type models.PostableAlert");
            }
            if (alert.get("labels") == null) {
                throw new SchemaException(422, "{\"code\":602,\"message\":\"" + i + ".labels in body is required\"}");
            }
            Map<String, String> labels = new TreeMap<>(strings(alert.get("labels"), "labels"));
            // Alertmanager treats a label with an empty value as absent.
            labels.values().removeIf(String::isEmpty);
            Map<String, String> annotations = alert.get("annotations") == null ? Map.of()
                    : strings(alert.get("annotations"), "annotations");
            Optional<String> generatorUrl = Optional.ofNullable(alert.get("generatorURL")).map(Object::toString);
            if (generatorUrl.isPresent()) {
                try {
                    new URI(generatorUrl.get());
                } catch (URISyntaxException e) {
                    throw new SchemaException(422, "{\"code\":601,\"message\":" + ReceivedJson.write(i
                            + ".generatorURL in body must be of type uri: \"" + generatorUrl.get() + "\"") + "}");
                }
            }
            posted.add(new Alert(fingerprint(labels), labels, annotations, time(alert.get("startsAt")),
                    time(alert.get("endsAt")), null, generatorUrl, false, 0, false));
        }
        return posted;
    }

    private static Map<String, String> strings(Object value, String field) throws SchemaException {
        if (!(value instanceof Map<?, ?> map)) {
            throw parseError("json: cannot unmarshal " + goType(value) + " into Go struct field ." + field);
        }
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw parseError("json: cannot unmarshal " + goType(entry.getValue())
                        + " into Go struct field ." + field + " of type string");
            }
            strings.put((String) entry.getKey(), text);
        }
        return strings;
    }

    private static Instant time(Object value) throws SchemaException {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (!(value instanceof String) || !RFC_3339.matcher(text).matches()) {
            throw parseError("parsing time \"" + text + "\" as RFC 3339 failed");
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase()).toInstant();
        } catch (DateTimeParseException e) {
            throw parseError("parsing time \"" + text + "\": " + e.getMessage());
        }
    }

    private static SchemaException parseError(String reason) {
        return new SchemaException(400, "{\"code\":400,\"message\":"
                + ReceivedJson.write("parsing alerts body from \"\" failed, because " + reason) + "}");
    }

    /** Alertmanager's defaults: no start is now (or the end); no end is the resolve timeout from now. */
    private Alert withDefaults(Alert alert, Instant now) {
        Instant startsAt = alert.startsAt() != null ? alert.startsAt() : alert.endsAt() != null ? alert.endsAt() : now;
        boolean timeout = alert.endsAt() == null;
        Instant endsAt = timeout ? now.plus(resolveTimeout) : alert.endsAt();
        return new Alert(alert.fingerprint(), alert.labels(), alert.annotations(), startsAt, endsAt, now,
                alert.generatorUrl(), timeout, 0, false);
    }

    private static Optional<String> validate(Alert alert) {
        if (alert.endsAt().isBefore(alert.startsAt())) {
            return Optional.of("start time must be before end time");
        }
        for (String name : alert.labels().keySet()) {
            if (!LABEL_NAME.matcher(name).matches()) {
                return Optional.of("invalid label set: invalid name \"" + name + "\"");
            }
        }
        if (alert.labels().isEmpty()) {
            return Optional.of("at least one label pair required");
        }
        for (String name : alert.annotations().keySet()) {
            if (!LABEL_NAME.matcher(name).matches()) {
                return Optional.of("invalid annotations: invalid name \"" + name + "\"");
            }
        }
        return Optional.empty();
    }

    /** Alertmanager's {@code provider/mem} Put: merge with the held alert when their activity overlaps. */
    private void take(Alert alert, Instant now) {
        Alert old = alerts.get(alert.fingerprint());
        Alert next = alert;
        boolean wasFiring = false;
        int firings = 0;
        if (old != null) {
            firings = old.firings();
            wasFiring = old.endsAt().isAfter(now);
            boolean overlaps = alert.endsAt().isAfter(old.startsAt()) && alert.endsAt().isBefore(old.endsAt())
                    || alert.startsAt().isAfter(old.startsAt()) && alert.startsAt().isBefore(old.endsAt());
            if (overlaps) {
                next = merge(old, alert, now);
            }
        }
        boolean firing = next.endsAt().isAfter(now);
        if (firing && !wasFiring) {
            firings++;
        }
        alerts.put(alert.fingerprint(), new Alert(next.fingerprint(), next.labels(), next.annotations(),
                next.startsAt(), next.endsAt(), next.updatedAt(), next.generatorUrl(), next.timeout(), firings, false));
    }

    /** Alertmanager's {@code types.Alert.Merge}: the younger post wins, but the earliest start is kept. */
    private static Alert merge(Alert older, Alert younger, Instant now) {
        Instant startsAt = older.startsAt().isBefore(younger.startsAt()) ? older.startsAt() : younger.startsAt();
        Instant endsAt = younger.endsAt();
        boolean timeout = younger.timeout();
        boolean youngerResolved = !younger.endsAt().isAfter(now);
        if (youngerResolved) {
            if (!older.endsAt().isAfter(now) && older.endsAt().isAfter(younger.endsAt())) {
                endsAt = older.endsAt();
            }
        } else if (older.endsAt().isAfter(younger.endsAt()) && !older.timeout()) {
            endsAt = older.endsAt();
            timeout = false;
        }
        return new Alert(younger.fingerprint(), younger.labels(), younger.annotations(), startsAt, endsAt,
                younger.updatedAt(), younger.generatorUrl(), timeout, older.firings(), false);
    }

    private static Alert snapshot(Alert alert, Instant now) {
        return new Alert(alert.fingerprint(), alert.labels(), alert.annotations(), alert.startsAt(),
                alert.endsAt(), alert.updatedAt(), alert.generatorUrl(), alert.timeout(), alert.firings(),
                !alert.endsAt().isAfter(now));
    }

    private synchronized Reply get(String rawQuery) {
        boolean active = true;
        List<Predicate> filters = new ArrayList<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (name.equals("active")) {
                    active = !value.equals("false");
                } else if (name.equals("filter")) {
                    Matcher matcher = MATCHER.matcher(value);
                    if (!matcher.matches()) {
                        return reply(400, ReceivedJson.write("bad matcher format: " + value) + "\n");
                    }
                    filters.add(new Predicate(matcher.group(1), matcher.group(2), matcher.group(3)));
                }
            }
        }
        List<Object> listed = new ArrayList<>();
        if (active) {
            for (Alert alert : activeAlerts()) {
                if (filters.stream().allMatch(filter -> filter.test(alert.labels()))) {
                    listed.add(gettable(alert));
                }
            }
        }
        return reply(200, ReceivedJson.write(listed) + "\n");
    }

    private record Predicate(String name, String operator, String value) {
        boolean test(Map<String, String> labels) {
            String actual = labels.getOrDefault(name, "");
            return switch (operator) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> actual.matches(value);
                default -> !actual.matches(value);
            };
        }
    }

    private static Map<String, Object> gettable(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("annotations", alert.annotations());
        json.put("endsAt", API_TIME.format(alert.endsAt()));
        json.put("fingerprint", alert.fingerprint());
        json.put("receivers", List.of(Map.of("name", RECEIVER_NAME)));
        json.put("startsAt", API_TIME.format(alert.startsAt()));
        json.put("status", Map.of("inhibitedBy", List.of(), "silencedBy", List.of(), "state", "active"));
        json.put("updatedAt", API_TIME.format(alert.updatedAt()));
        alert.generatorUrl().ifPresent(url -> json.put("generatorURL", url));
        json.put("labels", alert.labels());
        return json;
    }

    /** How Go's encoding/json names the type of a parsed value in its errors. */
    private static String goType(Object value) {
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        return value instanceof Boolean ? "bool" : value == null ? "null" : "number";
    }

    /** Prometheus' {@code LabelSet.Fingerprint}: FNV-1a 64 over the sorted names and values, 0xff after each. */
    private static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            for (String part : List.of(label.getKey(), label.getValue())) {
                for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                    hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
                }
                hash = (hash ^ 0xff) * 0x100000001b3L;
            }
        }
        return String.format("%016x", hash);
    }
}
