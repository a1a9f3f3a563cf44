package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jira site's REST API v2 on 127.0.0.1, modelling what an integration meets in the real one:
 * <ul>
 * <li>basic authentication (account and API token), 401 otherwise;</li>
 * <li>known projects ({@value #PROJECT}) and issue types (Bug, Task), priorities Highest to Lowest;
 * a create naming others, without a summary, with a summary over 255 characters or with a label
 * holding a space is refused with Jira's {@code {"errorMessages":[],"errors":{...}}};</li>
 * <li>issue keys {@code OPS-1}, {@code OPS-2}, ... and numeric ids from 10000;</li>
 * <li><b>no uniqueness</b>: a second create with the same labels makes a duplicate;</li>
 * <li>search by label, {@code jql=labels = "x"} only (other JQL is answered 400 with errorMessages), on
 * {@code /rest/api/2/search/jql} for Jira Cloud, where the classic {@code /rest/api/2/search} answers
 * 410, or on {@code /rest/api/2/search} for Data Center, which has no {@code /search/jql};</li>
 * <li>issue properties, comments, and the workflow To Do → In Progress → Done: transition 11
 * "Start Progress", 21 "Stop Progress", 31 "Done" and, from Done, 41 "Reopen"; status categories
 * {@code new}, {@code indeterminate} and {@code done};</li>
 * <li>injectable failures: 429 with {@code Retry-After}, 503, and a create that is stored but whose
 * response is lost (the connection drops).</li>
 * </ul>
 */
public final class JiraReceiver implements AutoCloseable {
    /** The project this site has. */
    public static final String PROJECT = "OPS";
    /** The longest summary Jira takes. */
    public static final int MAX_SUMMARY = 255;

    private static final Set<String> ISSUE_TYPES = Set.of("Bug", "Task");
    private static final Set<String> PRIORITIES = Set.of("Highest", "High", "Medium", "Low", "Lowest");
    private static final Pattern LABEL_QUERY = Pattern.compile("\\s*labels\\s*=\\s*(?:\"([^\"]*)\"|([^\\s\"]+))\\s*");
    private static final DateTimeFormatter JIRA_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final Status TO_DO = new Status("To Do", "new", "To Do");
    private static final Status IN_PROGRESS = new Status("In Progress", "indeterminate", "In Progress");
    private static final Status DONE = new Status("Done", "done", "Done");
    private static final Map<String, List<Transition>> WORKFLOW = Map.of(
            TO_DO.name(), List.of(new Transition("11", "Start Progress", IN_PROGRESS), new Transition("31", "Done", DONE)),
            IN_PROGRESS.name(), List.of(new Transition("21", "Stop Progress", TO_DO), new Transition("31", "Done", DONE)),
            DONE.name(), List.of(new Transition("41", "Reopen", TO_DO)));
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String UNAUTHENTICATED = "{\"errorMessages\":[\"You are not authenticated. Authentication "
            + "required to perform this operation.\"],\"errors\":{}}";

    /** Which Jira it is: the two differ in their search endpoint. */
    public enum Flavour {
        /** Jira Cloud: {@code /rest/api/2/search/jql}; the classic search answers 410 Gone. */
        CLOUD,
        /** Jira Data Center: the classic {@code /rest/api/2/search} only. */
        DATA_CENTER
    }

    /**
     * An issue as stored, a snapshot.
     *
     * @param id          the numeric id, as text
     * @param key         {@code OPS-1}
     * @param issueType   the issue type's name
     * @param summary     the summary
     * @param description the description
     * @param labels      the labels
     * @param priority    the priority's name
     * @param status      the status's name: To Do, In Progress or Done
     * @param assignee    the assignee's display name, if assigned
     * @param properties  issue properties: key → JSON text of the value
     * @param comments    comment bodies, oldest first
     */
    public record Issue(String id, String key, String issueType, String summary, String description,
            List<String> labels, String priority, String status, Optional<String> assignee,
            Map<String, String> properties, List<String> comments) {
        /** Copies. */
        public Issue {
            labels = List.copyOf(labels);
            properties = Map.copyOf(properties);
            comments = List.copyOf(comments);
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

    private final String user;
    private final String token;
    private final Flavour flavour;
    private final InstantSource clock;
    private final ReceiverServer server;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final ScriptedFailures failures = new ScriptedFailures();
    private final List<Request> requests = new ArrayList<>();
    private boolean loseNextCreate;
    private int nextNumber = 1;
    private long nextId = 10000;
    private long nextCommentId = 10100;

    private JiraReceiver(String user, String token, Flavour flavour, InstantSource clock) throws IOException {
        this.user = user;
        this.token = token;
        this.flavour = flavour;
        this.clock = clock;
        this.server = ReceiverServer.start("jira", this::answer);
    }

    /** Starts a Jira Cloud site on an ephemeral port of 127.0.0.1 that accepts {@code user}/{@code token}. */
    public static JiraReceiver start(String user, String token) throws IOException {
        return start(user, token, Flavour.CLOUD, InstantSource.system());
    }

    /** Starts a site of {@code flavour} whose issues' {@code created} and {@code updated} come from {@code clock}. */
    public static JiraReceiver start(String user, String token, Flavour flavour, InstantSource clock)
            throws IOException {
        return new JiraReceiver(user, token, flavour, clock);
    }

    /** The site's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return server.url("");
    }

    /** Every issue, in creation order. */
    public synchronized List<Issue> issues() {
        return rows.values().stream().map(Row::snapshot).toList();
    }

    /** The issues carrying {@code label}, in creation order. */
    public synchronized List<Issue> issuesWithLabel(String label) {
        return rows.values().stream().filter(row -> row.labels.contains(label)).map(Row::snapshot).toList();
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * Does what an engineer does on the board: assigns issue {@code key} to {@code assignee} and moves
     * it to In Progress, updating {@code updated}.
     */
    public synchronized void startProgress(String key, String assignee) {
        Row row = Objects.requireNonNull(rows.get(key), () -> "no issue " + key);
        row.assignee = Optional.of(assignee);
        row.status = IN_PROGRESS;
        row.touch(clock);
    }

    /** Answers the next {@code count} requests with 429 and {@code Retry-After: <seconds>}. */
    public synchronized void rateLimitNext(int count, Duration retryAfter) {
        failures.add(count, 429, Optional.of(retryAfter));
    }

    /** Answers the next {@code count} requests with 503. */
    public synchronized void unavailableNext(int count) {
        failures.add(count, 503, Optional.empty());
    }

    /** Stores the next created issue but drops the connection instead of answering: a lost response. */
    public synchronized void loseNextCreateResponse() {
        loseNextCreate = true;
    }

    private synchronized Reply answer(ReceiverServer.Incoming request) {
        Reply reply = route(request);
        requests.add(new Request(request.method(), request.pathAndQuery(), reply.status()));
        return reply;
    }

    private Reply route(ReceiverServer.Incoming request) {
        if (!request.hasBasicCredentials(user, token)) {
            return json(401, UNAUTHENTICATED);
        }
        Optional<ScriptedFailures.Failure> failure = failures.next();
        if (failure.isPresent()) {
            ScriptedFailures.Failure fault = failure.get();
            return new Reply(fault.status(), JSON, errors(List.of(fault.status() == 429 ? "Rate limit exceeded."
                    : "Service unavailable."), Map.of()), fault.retryAfter());
        }
        String method = request.method();
        URI uri = request.uri();
        String body = request.body();
        Map<String, String> query = request.query();
        String[] path = uri.getRawPath().split("/", -1);
        String[] shape = path.clone();
        if (shape.length > 5 && shape[4].equals("issue")) {
            shape[5] = "{issue}";
        }
        String route = method + " " + String.join("/", shape);
        String issueKey = path.length > 5 ? decode(path[5]) : "";
        return switch (route) {
            case "POST /rest/api/2/issue" -> create(body);
            case "GET /rest/api/2/search/jql" -> flavour == Flavour.CLOUD ? search(query, false)
                    : json(404, errors(List.of("null for uri: " + uri), Map.of()));
            case "GET /rest/api/2/search" -> flavour == Flavour.DATA_CENTER ? search(query, true)
                    : json(410, errors(List.of("The requested API has been removed. Please migrate to the "
                            + "/rest/api/3/search/jql API."), Map.of()));
            case "GET /rest/api/2/issue/{issue}" -> withIssue(issueKey, row -> json(200,
                    ReceivedJson.write(row.render(fields(query), baseUrl()))));
            case "GET /rest/api/2/issue/{issue}/transitions" -> withIssue(issueKey, this::transitions);
            case "POST /rest/api/2/issue/{issue}/transitions" -> withIssue(issueKey, row -> transition(row, body));
            case "POST /rest/api/2/issue/{issue}/comment" -> withIssue(issueKey, row -> comment(row, body));
            default -> {
                if (route.startsWith("PUT /rest/api/2/issue/{issue}/properties/") && path.length == 8) {
                    yield withIssue(issueKey, row -> property(row, decode(path[7]), body));
                }
                yield json(404, errors(List.of("null for uri: " + uri), Map.of()));
            }
        };
    }

    private Reply create(String body) {
        Map<String, Object> fields;
        try {
            fields = ReceivedJson.object(ReceivedJson.parseObject(body).get("fields"));
        } catch (IllegalArgumentException e) {
            return json(400, errors(List.of(e.getMessage()), Map.of()));
        }
        Map<String, String> problems = new LinkedHashMap<>();
        if (!PROJECT.equals(name(fields.get("project"), "key"))) {
            problems.put("project", "valid project is required");
        }
        if (!ISSUE_TYPES.contains(name(fields.get("issuetype"), "name"))) {
            problems.put("issuetype", "valid issue type is required");
        }
        String summary = fields.get("summary") instanceof String text ? text : "";
        if (summary.isBlank()) {
            problems.put("summary", "You must specify a summary of the issue.");
        } else if (summary.length() > MAX_SUMMARY) {
            problems.put("summary", "Summary must be less than 255 characters.");
        }
        List<String> labels = new ArrayList<>();
        if (fields.get("labels") instanceof List<?> given) {
            for (Object label : given) {
                String text = String.valueOf(label);
                if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
                    problems.put("labels", "The label '" + text + "' contains spaces which is invalid.");
                }
                labels.add(text);
            }
        }
        String priority = fields.containsKey("priority") ? name(fields.get("priority"), "name") : "Medium";
        if (!PRIORITIES.contains(priority)) {
            problems.put("priority", "The priority selected is invalid.");
        }
        if (!problems.isEmpty()) {
            return json(400, errors(List.of(), problems));
        }
        Row row = new Row(Long.toString(nextId++), PROJECT + "-" + nextNumber++, name(fields.get("issuetype"), "name"),
                summary, fields.get("description") instanceof String text ? text : "", labels, priority);
        row.created = JIRA_TIME.format(clock.instant());
        row.touch(clock);
        rows.put(row.key, row);
        if (loseNextCreate) {
            loseNextCreate = false;
            return Reply.DROPPED;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("id", row.id);
        created.put("key", row.key);
        created.put("self", baseUrl() + "/rest/api/2/issue/" + row.id);
        return json(201, ReceivedJson.write(created));
    }

    private Reply search(Map<String, String> query, boolean classic) {
        String jql = query.getOrDefault("jql", "");
        Matcher matcher = LABEL_QUERY.matcher(jql);
        if (!matcher.matches()) {
            return json(400, errors(List.of("Error in the JQL Query: this site understands only "
                    + "labels = \"<label>\" (was '" + jql + "')."), Map.of()));
        }
        String label = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        int max = Integer.parseInt(query.getOrDefault("maxResults", "50"));
        List<Row> matching = new ArrayList<>(rows.values().stream().filter(row -> row.labels.contains(label)).toList());
        // Newest first, so a client that wants the oldest of duplicates must choose it itself.
        java.util.Collections.reverse(matching);
        List<Object> issues = new ArrayList<>();
        for (Row row : matching.subList(0, Math.min(max, matching.size()))) {
            issues.add(row.render(fields(query), baseUrl()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (classic) {
            answer.put("startAt", 0);
            answer.put("maxResults", max);
            answer.put("total", matching.size());
            answer.put("issues", issues);
        } else {
            answer.put("issues", issues);
            answer.put("isLast", issues.size() == matching.size());
        }
        return json(200, ReceivedJson.write(answer));
    }

    private Reply transitions(Row row) {
        List<Object> list = new ArrayList<>();
        for (Transition transition : WORKFLOW.get(row.status.name())) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", transition.id());
            item.put("name", transition.name());
            item.put("to", transition.to().render());
            item.put("hasScreen", false);
            list.add(item);
        }
        return json(200, ReceivedJson.write(Map.of("expand", "transitions", "transitions", list)));
    }

    private Reply transition(Row row, String body) {
        String id;
        try {
            id = name(ReceivedJson.parseObject(body).get("transition"), "id");
        } catch (IllegalArgumentException e) {
            return json(400, errors(List.of(e.getMessage()), Map.of()));
        }
        Optional<Transition> chosen = WORKFLOW.get(row.status.name()).stream()
                .filter(transition -> transition.id().equals(id)).findFirst();
        if (chosen.isEmpty()) {
            return json(400, errors(List.of("Transition id '" + id + "' is not valid for this issue."), Map.of()));
        }
        row.status = chosen.get().to();
        row.touch(clock);
        return json(204, "");
    }

    private Reply comment(Row row, String body) {
        String text;
        try {
            text = ReceivedJson.parseObject(body).get("body") instanceof String given ? given : "";
        } catch (IllegalArgumentException e) {
            return json(400, errors(List.of(e.getMessage()), Map.of()));
        }
        if (text.isBlank()) {
            return json(400, errors(List.of(), Map.of("comment", "Comment body can not be empty!")));
        }
        row.comments.add(text);
        row.touch(clock);
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("id", Long.toString(nextCommentId++));
        created.put("body", text);
        return json(201, ReceivedJson.write(created));
    }

    private Reply property(Row row, String name, String body) {
        try {
            ReceivedJson.parse(body);
        } catch (IllegalArgumentException e) {
            return json(400, errors(List.of("The property value must be valid JSON: " + e.getMessage()), Map.of()));
        }
        boolean existed = row.properties.put(name, body) != null;
        return json(existed ? 200 : 201, "");
    }

    private Reply withIssue(String key, java.util.function.Function<Row, Reply> action) {
        Row row = rows.get(key);
        if (row == null) {
            row = rows.values().stream().filter(candidate -> candidate.id.equals(key)).findFirst().orElse(null);
        }
        if (row == null) {
            return json(404, errors(List.of("Issue does not exist or you do not have permission to see it."),
                    Map.of()));
        }
        return action.apply(row);
    }

    private static Optional<Set<String>> fields(Map<String, String> query) {
        return Optional.ofNullable(query.get("fields")).map(names -> Set.of(names.split(",")));
    }

    private static String name(Object reference, String field) {
        return reference instanceof Map<?, ?> map && map.get(field) != null ? String.valueOf(map.get(field)) : "";
    }

    private static String errors(List<String> messages, Map<String, String> fieldErrors) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("errorMessages", messages);
        answer.put("errors", fieldErrors);
        return ReceivedJson.write(answer);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }

    /** One stored issue; guarded by the receiver's lock. */
    private static final class Row {
        final String id;
        final String key;
        final String issueType;
        final String summary;
        final String description;
        final List<String> labels;
        final String priority;
        final Map<String, String> properties = new LinkedHashMap<>();
        final List<String> comments = new ArrayList<>();
        Status status = TO_DO;
        Optional<String> assignee = Optional.empty();
        String created = "";
        String updated = "";

        Row(String id, String key, String issueType, String summary, String description, List<String> labels,
                String priority) {
            this.id = id;
            this.key = key;
            this.issueType = issueType;
            this.summary = summary;
            this.description = description;
            this.labels = List.copyOf(labels);
            this.priority = priority;
        }

        void touch(InstantSource clock) {
            updated = JIRA_TIME.format(clock.instant());
        }

        Map<String, Object> render(Optional<Set<String>> only, URI baseUrl) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("project", Map.of("key", PROJECT));
            all.put("issuetype", Map.of("name", issueType));
            all.put("summary", summary);
            all.put("description", description);
            all.put("labels", labels);
            all.put("priority", Map.of("name", priority));
            all.put("status", status.render());
            all.put("assignee", assignee.map(name -> (Object) Map.of("displayName", name,
                    "accountId", "acc-" + Integer.toHexString(name.hashCode()))).orElse(null));
            all.put("created", created);
            all.put("updated", updated);
            Map<String, Object> fields = new LinkedHashMap<>();
            all.forEach((name, value) -> {
                if (only.map(wanted -> wanted.contains(name) || wanted.contains("*all")).orElse(true)) {
                    fields.put(name, value);
                }
            });
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("id", id);
            issue.put("key", key);
            issue.put("self", baseUrl + "/rest/api/2/issue/" + id);
            issue.put("fields", fields);
            return issue;
        }

        Issue snapshot() {
            return new Issue(id, key, issueType, summary, description, labels, priority, status.name(), assignee,
                    properties, comments);
        }
    }

    private record Status(String name, String categoryKey, String categoryName) {
        Map<String, Object> render() {
            return Map.of("name", name, "statusCategory", Map.of("key", categoryKey, "name", categoryName));
        }
    }

    private record Transition(String id, String name, Status to) {
    }

    private static Reply json(int status, String body) {
        return new Reply(status, JSON, body);
    }
}
