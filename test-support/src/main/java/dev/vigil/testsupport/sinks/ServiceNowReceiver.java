package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A ServiceNow instance's Table API on 127.0.0.1, for the {@code incident} table, modelling what an
 * integration meets in the real one:
 * <ul>
 * <li>basic authentication, 401 with ServiceNow's error body otherwise;</li>
 * <li>records get a 32-hex-digit {@code sys_id} and an {@code INC0010001}-style number;</li>
 * <li><b>no uniqueness on {@code correlation_id}</b>: a second create with the same one makes a
 * duplicate, as in the real table, so a sink must look up before it creates;</li>
 * <li>{@code correlation_id} and {@code short_description} are cut to 100 and 160 characters without a
 * word, as the real columns are;</li>
 * <li>{@code sysparm_query=<field>=<value>} filtering (a query on an unknown field matches every record,
 * the real instance's notorious default), {@code sysparm_fields}, {@code sysparm_limit} and
 * {@code sysparm_display_value} ({@code false}, {@code true}, {@code all});</li>
 * <li>PATCH updates, with {@code work_notes} as a journal that each write appends to;</li>
 * <li>states 1 New, 2 In Progress, 6 Resolved and 7 Closed; setting 6 or 7 without {@code close_code}
 * and {@code close_notes} is refused with the instance's data policy error;</li>
 * <li>injectable failures: 429 with {@code Retry-After}, 503, and a create that is stored but whose
 * response is lost (the connection drops).</li>
 * </ul>
 */
public final class ServiceNowReceiver implements AutoCloseable {
    /** The table this instance has. */
    public static final String TABLE = "incident";
    /** The length of the {@code correlation_id} column. */
    public static final int CORRELATION_ID_LENGTH = 100;
    /** The length of the {@code short_description} column. */
    public static final int SHORT_DESCRIPTION_LENGTH = 160;

    private static final String TABLE_PATH = "/api/now/table/" + TABLE;
    private static final DateTimeFormatter SYSTEM_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Map<String, String> STATES = Map.of("1", "New", "2", "In Progress", "3", "On Hold",
            "6", "Resolved", "7", "Closed", "8", "Canceled");
    private static final Set<String> NEEDS_CLOSE_FIELDS = Set.of("6", "7");
    private static final Set<String> FIELDS = Set.of("sys_id", "number", "short_description", "description",
            "correlation_id", "correlation_display", "impact", "urgency", "priority", "state", "assignment_group",
            "assigned_to", "close_code", "close_notes", "sys_created_on", "sys_updated_on");
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String UNAUTHENTICATED = "{\"error\":{\"message\":\"User Not Authenticated\","
            + "\"detail\":\"Required to provide Auth information\"},\"status\":\"failure\"}";

    /**
     * A record as stored, a snapshot.
     *
     * @param sysId     its {@code sys_id}
     * @param number    its number, {@code INC0010001}, ...
     * @param fields    every stored field by name (values as the table stores them: text)
     * @param assignee  the assignee's display name, empty when unassigned
     * @param workNotes the work notes written to it, oldest first
     */
    public record Record(String sysId, String number, Map<String, String> fields, String assignee,
            List<String> workNotes) {
        /** Copies. */
        public Record {
            fields = Map.copyOf(fields);
            workNotes = List.copyOf(workNotes);
        }

        /** A field's value, empty text when it is not set. */
        public String field(String name) {
            return fields.getOrDefault(name, "");
        }

        /** The state code: 1 New, 2 In Progress, 6 Resolved, 7 Closed. */
        public String state() {
            return field("state");
        }
    }

    /**
     * One request as received.
     *
     * @param method the HTTP method
     * @param path   the raw path, with the query when there is one
     * @param status the status answered; 0 when the response was dropped
     */
    public record Request(String method, String path, int status) {
    }

    private final String username;
    private final String password;
    private final InstantSource clock;
    private final ReceiverServer server;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final ScriptedFailures failures = new ScriptedFailures();
    private final List<Request> requests = new ArrayList<>();
    private boolean loseNextCreate;
    private int nextNumber = 10001;

    private ServiceNowReceiver(String username, String password, InstantSource clock) throws IOException {
        this.username = username;
        this.password = password;
        this.clock = clock;
        this.server = ReceiverServer.start("servicenow", this::answer);
    }

    /** Starts an instance on an ephemeral port of 127.0.0.1 that accepts {@code username}/{@code password}. */
    public static ServiceNowReceiver start(String username, String password) throws IOException {
        return start(username, password, InstantSource.system());
    }

    /**
     * Starts an instance whose {@code sys_created_on} and {@code sys_updated_on} come from {@code clock}.
     */
    public static ServiceNowReceiver start(String username, String password, InstantSource clock)
            throws IOException {
        return new ServiceNowReceiver(username, password, clock);
    }

    /** The instance URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI instanceUrl() {
        return server.url("");
    }

    /** Every record, in creation order. */
    public synchronized List<Record> records() {
        return rows.values().stream().map(Row::snapshot).toList();
    }

    /** The records whose {@code correlation_id} is {@code correlationId}, in creation order. */
    public synchronized List<Record> recordsWithCorrelation(String correlationId) {
        return rows.values().stream().filter(row -> row.get("correlation_id").equals(correlationId))
                .map(Row::snapshot).toList();
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * Does what an engineer does in the UI: assigns record {@code sysId} to {@code user} and sets it to In
     * Progress (state 2), updating {@code sys_updated_on}.
     */
    public synchronized void assign(String sysId, String user) {
        Row row = Objects.requireNonNull(rows.get(sysId), () -> "no record " + sysId);
        row.assignee = user;
        row.fields.put("assigned_to", userId(user));
        row.fields.put("state", "2");
        row.fields.put("sys_updated_on", SYSTEM_TIME.format(clock.instant()));
    }

    /** Answers the next {@code count} requests with 429 and {@code Retry-After: <seconds>}, as the rate limiter does. */
    public synchronized void rateLimitNext(int count, Duration retryAfter) {
        failures.add(count, 429, Optional.of(retryAfter));
    }

    /** Answers the next {@code count} requests with 503, as a node being restarted does. */
    public synchronized void unavailableNext(int count) {
        failures.add(count, 503, Optional.empty());
    }

    /** Stores the next created record but drops the connection instead of answering: a lost response. */
    public synchronized void loseNextCreateResponse() {
        loseNextCreate = true;
    }

    private synchronized Reply answer(ReceiverServer.Incoming request) {
        Reply reply = route(request);
        requests.add(new Request(request.method(), request.pathAndQuery(), reply.status()));
        return reply;
    }

    private Reply route(ReceiverServer.Incoming request) {
        if (!request.hasBasicCredentials(username, password)) {
            return json(401, UNAUTHENTICATED);
        }
        Optional<ScriptedFailures.Failure> failure = failures.next();
        if (failure.isPresent()) {
            ScriptedFailures.Failure fault = failure.get();
            return new Reply(fault.status(), JSON, error(fault.status() == 429 ? "Too Many Requests"
                    : "Service Unavailable", null), fault.retryAfter());
        }
        String method = request.method();
        URI uri = request.uri();
        String body = request.body();
        String path = uri.getRawPath();
        if (!path.startsWith("/api/now/table/")) {
            return json(400, error("Requested URI does not represent any resource", path));
        }
        String[] segments = path.substring("/api/now/table/".length()).split("/", -1);
        if (!segments[0].equals(TABLE)) {
            return json(400, error("Invalid table " + decode(segments[0]), null));
        }
        Map<String, String> query = request.query();
        if (segments.length == 1 && method.equals("GET")) {
            return list(query);
        }
        if (segments.length == 1 && method.equals("POST")) {
            return create(body);
        }
        if (segments.length == 2 && (method.equals("PATCH") || method.equals("PUT"))) {
            return update(decode(segments[1]), body);
        }
        if (segments.length == 2 && method.equals("GET")) {
            Row row = rows.get(decode(segments[1]));
            return row == null ? noRecord() : json(200, ReceivedJson.write(Map.of("result", row.render(
                    Optional.empty(), query.getOrDefault("sysparm_display_value", "false")))));
        }
        return json(405, error("Method not Supported", method + " " + TABLE_PATH));
    }

    private Reply list(Map<String, String> query) {
        String filter = query.getOrDefault("sysparm_query", "");
        if (filter.contains("^")) {
            return json(400, error("this receiver understands one <field>=<value> condition only", filter));
        }
        int limit = Integer.parseInt(query.getOrDefault("sysparm_limit", "10000"));
        Optional<List<String>> fields = Optional.ofNullable(query.get("sysparm_fields"))
                .map(names -> List.of(names.split(",")));
        String display = query.getOrDefault("sysparm_display_value", "false");
        List<Object> result = new ArrayList<>();
        for (Row row : rows.values()) {
            if (result.size() < limit && row.matches(filter)) {
                result.add(row.render(fields, display));
            }
        }
        return json(200, ReceivedJson.write(Map.of("result", result)));
    }

    private Reply create(String body) {
        Map<String, Object> given;
        try {
            given = ReceivedJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return json(400, error("Exception while reading request", e.getMessage()));
        }
        Row row = new Row();
        String sysId = HexFormat.of().formatHex(randomBytes(16));
        String now = SYSTEM_TIME.format(clock.instant());
        row.fields.put("sys_id", sysId);
        row.fields.put("number", String.format("INC%07d", nextNumber++));
        row.fields.put("state", "1");
        row.fields.put("impact", "3");
        row.fields.put("urgency", "3");
        row.fields.put("sys_created_on", now);
        row.fields.put("sys_updated_on", now);
        Optional<Reply> refused = row.apply(given);
        if (refused.isPresent()) {
            return refused.get();
        }
        rows.put(sysId, row);
        if (loseNextCreate) {
            loseNextCreate = false;
            return Reply.DROPPED;
        }
        return json(201, ReceivedJson.write(Map.of("result", row.render(Optional.empty(), "false"))));
    }

    private Reply update(String sysId, String body) {
        Row row = rows.get(sysId);
        if (row == null) {
            return noRecord();
        }
        Map<String, Object> given;
        try {
            given = ReceivedJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return json(400, error("Exception while reading request", e.getMessage()));
        }
        Optional<Reply> refused = row.apply(given);
        if (refused.isPresent()) {
            return refused.get();
        }
        row.fields.put("sys_updated_on", SYSTEM_TIME.format(clock.instant()));
        return json(200, ReceivedJson.write(Map.of("result", row.render(Optional.empty(), "false"))));
    }

    private static Reply noRecord() {
        return json(404, error("No Record found", "Record doesn't exist or ACL restricts the record retrieval"));
    }

    private static String error(String message, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("detail", detail);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("status", "failure");
        return ReceivedJson.write(answer);
    }

    private static String userId(String user) {
        return HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8)).concat("0".repeat(32)).substring(0, 32);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }

    /** One stored record; guarded by the receiver's lock. */
    private static final class Row {
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<String> workNotes = new ArrayList<>();
        String assignee = "";

        String get(String field) {
            return fields.getOrDefault(field, "");
        }

        /** Applies a create's or an update's fields, or says why the instance refuses them (nothing applied). */
        Optional<Reply> apply(Map<String, Object> given) {
            Map<String, String> next = new LinkedHashMap<>(fields);
            for (Map.Entry<String, Object> entry : given.entrySet()) {
                String value = entry.getValue() == null ? "" : entry.getValue() instanceof BigDecimal number
                        ? number.toPlainString() : String.valueOf(entry.getValue());
                switch (entry.getKey()) {
                    case "work_notes", "sys_id", "number", "sys_created_on", "sys_updated_on" -> {
                        // Journal and system fields are not columns a client sets.
                    }
                    case "correlation_id" -> next.put("correlation_id", cut(value, CORRELATION_ID_LENGTH));
                    case "short_description" -> next.put("short_description", cut(value, SHORT_DESCRIPTION_LENGTH));
                    default -> {
                        // The real Table API ignores fields the table does not have.
                        if (FIELDS.contains(entry.getKey())) {
                            next.put(entry.getKey(), value);
                        }
                    }
                }
            }
            if (NEEDS_CLOSE_FIELDS.contains(next.getOrDefault("state", ""))
                    && (next.getOrDefault("close_code", "").isBlank() || next.getOrDefault("close_notes", "").isBlank())) {
                return Optional.of(json(400, error("Data Policy Exception: close_code, close_notes mandatory",
                        "Data Policy Exception: the following fields are mandatory: Resolution code, Resolution notes")));
            }
            fields.clear();
            fields.putAll(next);
            Object note = given.get("work_notes");
            if (note != null && !String.valueOf(note).isBlank()) {
                workNotes.add(String.valueOf(note));
            }
            return Optional.empty();
        }

        boolean matches(String filter) {
            if (filter.isEmpty()) {
                return true;
            }
            int equals = filter.indexOf('=');
            String field = equals < 0 ? filter : filter.substring(0, equals);
            if (!FIELDS.contains(field) || equals < 0) {
                // An invalid query matches every record, the real instance's default.
                return true;
            }
            return get(field).equals(filter.substring(equals + 1));
        }

        Map<String, Object> render(Optional<List<String>> only, String display) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            for (String field : only.orElseGet(() -> List.copyOf(fields.keySet()))) {
                String value = get(field);
                String shown = switch (field) {
                    case "state" -> STATES.getOrDefault(value, value);
                    case "assigned_to" -> assignee;
                    default -> value;
                };
                switch (display) {
                    case "true" -> rendered.put(field, shown);
                    case "all" -> {
                        Map<String, Object> pair = new LinkedHashMap<>();
                        pair.put("display_value", shown);
                        pair.put("value", value);
                        rendered.put(field, pair);
                    }
                    default -> rendered.put(field, value);
                }
            }
            return rendered;
        }

        Record snapshot() {
            return new Record(get("sys_id"), get("number"), fields, assignee, workNotes);
        }

        private static String cut(String value, int length) {
            return value.length() <= length ? value : value.substring(0, length);
        }
    }

    private static Reply json(int status, String body) {
        return new Reply(status, JSON, body);
    }
}
