package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.delivery.AttemptSteps;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.incident.delivery.SinkResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Opens, comments on and resolves incidents as Jira issues through the REST API v2, with basic
 * authentication (an account and its API token).
 *
 * <p>Jira has no idempotent create, so the sink keeps no incident state and looks up before it
 * creates. Every issue carries the label {@value #LABEL} and a dedup label
 * {@code vigil-<first 20 hex digits of the SHA-256 of the incident key>} (a label cannot hold the
 * key's {@code /}, {@code @} or spaces), found with the JQL {@code labels = "vigil-…"}; the key itself
 * is kept in the issue property {@value #PROPERTY}. After a lost response or a restart the lookup
 * finds the issue made by the earlier attempt and nothing is created twice. An update or a resolution
 * for an issue that does not exist yet creates it first, so the record is there.
 *
 * <p>A resolution comments and then takes the workflow transition named in the configuration; an
 * issue already in a {@code done} status is left as it is. Each request of an attempt is classified
 * by {@link HttpVerdict}; the first one that is not delivered is the attempt's result.
 */
public final class JiraSink implements IncidentSink {
    /** The label every issue the sink creates carries. */
    public static final String LABEL = "vigil";
    /** The issue property holding {@code {"key": <incident key>}}. */
    public static final String PROPERTY = "vigil.incident";
    private static final int MAX_SUMMARY = 255;
    private static final int DEDUP_HEX_DIGITS = 20;
    /** Jira Cloud's search; the classic {@code /search} answers 410 there. */
    private static final String ENHANCED_SEARCH = "/rest/api/2/search/jql";
    /** Jira Data Center's search, which has no {@code /search/jql}. */
    private static final String CLASSIC_SEARCH = "/rest/api/2/search";
    private static final String ISSUE_FIELDS = "status,assignee,updated";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** Jira's limit on a text field is 32,767 characters; the description keeps a margin. */
    private static final int MAX_DESCRIPTION = 32_000;

    private final SinkConfig.Jira config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final String baseUrl;
    /** Set once a 404 from the enhanced search shows a Data Center server; a fact about the server, not about incidents. */
    private volatile boolean classicSearch;

    /** A sink without failure evidence in its payloads. */
    public JiraSink(SinkConfig.Jira config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink for the Jira site and project of {@code config}.
     *
     * @param http  the shared sink client (egress policy included)
     * @param clock the time used to read {@code Retry-After} dates
     * @param evidence the failure evidence an opening carries
     */
    public JiraSink(SinkConfig.Jira config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.baseUrl = SinkHttp.base(config.baseUrl());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        Incident incident = event.incident();
        Future<SendResult> attempt = switch (event.type()) {
            // Writing the property again on a found issue completes a create whose response was lost
            // before the property was set; the PUT is idempotent.
            case OPENED -> lookup(incident).compose(found -> found.isPresent()
                    ? setProperty(found.get().key(), incident).map(done -> new SendResult.Delivered(200))
                    : create(incident).map(created -> new SendResult.Delivered(201)));
            case UPDATED -> issueOf(incident).compose(issue -> comment(issue.key(), IncidentText.ticketUpdate(event)))
                    .map(response -> new SendResult.Delivered(response.status()));
            case RESOLVED -> issueOf(incident).compose(issue -> resolve(issue, incident));
            // An issue stays until it is resolved: there is nothing to remind it of.
            case REMINDER -> Future.succeededFuture(new SendResult.Delivered(204));
        };
        return AttemptSteps.result(attempt);
    }

    /**
     * Reads the issue back: a status in the {@code indeterminate} category (In Progress) or an assignee
     * counts as acknowledged, at the issue's last update, by the assignee.
     */
    @Override
    public Future<Optional<Acknowledgement>> readAcknowledgement(Incident incident) {
        return lookup(incident)
                .map(found -> found.flatMap(this::acknowledgement))
                .otherwise(Optional.empty());
    }

    private Optional<Acknowledgement> acknowledgement(Issue issue) {
        if (!issue.statusCategory().equals("indeterminate") && issue.assignee().isEmpty()) {
            return Optional.empty();
        }
        long atEpochMillis;
        try {
            atEpochMillis = OffsetDateTime.parse(issue.updated(), JIRA_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            atEpochMillis = clock.millis();
        }
        return Optional.of(new Acknowledgement(atEpochMillis, issue.assignee().orElse(""), name()));
    }

    /** The issue of {@code incident}, created when the lookup finds none. */
    private Future<Issue> issueOf(Incident incident) {
        return lookup(incident).compose(found -> found.map(Future::succeededFuture)
                .orElseGet(() -> create(incident).compose(this::read)));
    }

    /** Reads a new issue: its status is the project workflow's first, which the create does not say. */
    private Future<Issue> read(String key) {
        String step = "read " + key;
        URI url = url("/rest/api/2/issue/" + Incident.idOf(key) + "?fields=" + encode(ISSUE_FIELDS));
        return call(step, HttpMethod.GET, url, Optional.empty()).map(response ->
                issue(response.json().orElseThrow(() -> AttemptSteps.unreadable(step, response)), step, response));
    }

    private Future<Optional<Issue>> lookup(Incident incident) {
        String query = "?jql=" + encode("labels = \"" + dedupLabel(incident.key()) + "\"")
                + "&fields=" + encode(ISSUE_FIELDS) + "&maxResults=2";
        Future<SinkResponse> answer;
        if (classicSearch) {
            answer = call("lookup", HttpMethod.GET, url(CLASSIC_SEARCH + query), Optional.empty());
        } else {
            answer = http.send(request(HttpMethod.GET, url(ENHANCED_SEARCH + query), Optional.empty()))
                    .transform(done -> {
                        if (done.succeeded() && done.result().status() == 404) {
                            classicSearch = true;
                            return call("lookup", HttpMethod.GET, url(CLASSIC_SEARCH + query), Optional.empty());
                        }
                        return AttemptSteps.check("lookup", done, clock);
                    });
        }
        return answer.map(response -> {
            JsonArray issues = response.json().map(json -> json.getValue("issues"))
                    .filter(JsonArray.class::isInstance).map(JsonArray.class::cast)
                    .orElseThrow(() -> AttemptSteps.unreadable("lookup", response));
            List<Issue> found = new ArrayList<>();
            for (Object item : issues) {
                if (item instanceof JsonObject json) {
                    found.add(issue(json, "lookup", response));
                }
            }
            // Two issues with one label are duplicates made by hand or by another tool: keep to the oldest.
            return found.stream().min(Comparator.comparingLong(Issue::id));
        });
    }

    /** Creates the issue and sets its property; the new issue's key. */
    private Future<String> create(Incident incident) {
        JsonObject fields = new JsonObject()
                .put("project", new JsonObject().put("key", config.project()))
                .put("issuetype", new JsonObject().put("name", config.issueType()))
                .put("summary", IncidentText.cut(incident.title(), MAX_SUMMARY))
                .put("description", IncidentText.cut(EvidenceText.appended(IncidentText.ticketDescription(incident),
                        evidence.of(incident)), MAX_DESCRIPTION))
                .put("labels", new JsonArray().add(LABEL).add(dedupLabel(incident.key())))
                .put("priority", new JsonObject().put("name", config.priority().get(incident.priority())));
        return call("create", HttpMethod.POST, url("/rest/api/2/issue"),
                Optional.of(new JsonObject().put("fields", fields)))
                .map(response -> response.json().map(json -> json.getString("key")).filter(key -> !key.isBlank())
                        .orElseThrow(() -> AttemptSteps.unreadable("create", response)))
                .compose(key -> setProperty(key, incident).map(key));
    }

    private Future<SinkResponse> setProperty(String key, Incident incident) {
        return call("set property of " + key, HttpMethod.PUT,
                url("/rest/api/2/issue/" + Incident.idOf(key) + "/properties/" + PROPERTY),
                Optional.of(new JsonObject().put("key", incident.key())));
    }

    private Future<SinkResponse> comment(String key, String body) {
        return call("comment on " + key, HttpMethod.POST, url("/rest/api/2/issue/" + Incident.idOf(key) + "/comment"),
                Optional.of(new JsonObject().put("body", body)));
    }

    private Future<SendResult> resolve(Issue issue, Incident incident) {
        String transitions = "/rest/api/2/issue/" + Incident.idOf(issue.key()) + "/transitions";
        return call("transitions of " + issue.key(), HttpMethod.GET, url(transitions), Optional.empty())
                .compose(response -> {
                    List<Transition> available = transitions(response, issue.key());
                    Optional<Transition> wanted = available.stream()
                            .filter(t -> t.name().equalsIgnoreCase(config.resolveTransition())).findFirst();
                    if (wanted.isEmpty()) {
                        if (issue.statusCategory().equals("done")) {
                            return Future.succeededFuture(new SendResult.Delivered(response.status()));
                        }
                        return Future.succeededFuture(new SendResult.Rejected("resolve " + issue.key()
                                + ": no transition named '" + config.resolveTransition() + "' from status '"
                                + issue.status() + "'; available: " + (available.isEmpty() ? "none"
                                : available.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(", ")))));
                    }
                    // The comment goes first: should the transition fail, a retry finds the issue still
                    // open and tries again, while a comment after a done transition could be lost.
                    return comment(issue.key(), resolution(incident))
                            .compose(commented -> call("transition " + issue.key(), HttpMethod.POST, url(transitions),
                                    Optional.of(new JsonObject().put("transition",
                                            new JsonObject().put("id", wanted.get().id())))))
                            .map(done -> new SendResult.Delivered(done.status()));
                });
    }

    private static List<Transition> transitions(SinkResponse response, String key) {
        JsonArray list = response.json().map(json -> json.getValue("transitions"))
                .filter(JsonArray.class::isInstance).map(JsonArray.class::cast)
                .orElseThrow(() -> AttemptSteps.unreadable("transitions of " + key, response));
        List<Transition> transitions = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof JsonObject json && json.getValue("id") != null && json.getValue("name") != null) {
                transitions.add(new Transition(String.valueOf(json.getValue("id")), String.valueOf(json.getValue("name"))));
            }
        }
        return transitions;
    }

    private static Issue issue(JsonObject json, String step, SinkResponse response) {
        String key = json.getValue("key") instanceof String text ? text : "";
        long id;
        try {
            id = Long.parseLong(String.valueOf(json.getValue("id")));
        } catch (NumberFormatException e) {
            id = Long.MAX_VALUE;
        }
        if (key.isBlank()) {
            throw AttemptSteps.unreadable(step, response);
        }
        JsonObject fields = object(json, "fields");
        JsonObject status = object(fields, "status");
        JsonObject category = object(status, "statusCategory");
        Optional<String> assignee = Optional.ofNullable(fields.getValue("assignee"))
                .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                .map(person -> person.getValue("displayName") instanceof String name ? name : "");
        return new Issue(id, key, text(status, "name"), text(category, "key"), assignee, text(fields, "updated"));
    }

    private static JsonObject object(JsonObject json, String field) {
        return json.getValue(field) instanceof JsonObject object ? object : new JsonObject();
    }

    private static String text(JsonObject json, String field) {
        return json.getValue(field) instanceof String text ? text : "";
    }

    private String resolution(Incident incident) {
        long resolvedEpochMillis = incident.resolvedEpochMillis().orElse(clock.millis());
        return "Resolved by Vigil: " + IncidentText.recovered(incident) + " recovered at "
                + Instant.ofEpochMilli(resolvedEpochMillis)
                + ", outage " + IncidentText.duration(resolvedEpochMillis - incident.startedEpochMillis())
                + "\n[" + incident.key() + ":resolved]";
    }

    /** The dedup label of {@code key}: {@code vigil-} and the first 20 hex digits of its SHA-256. */
    public static String dedupLabel(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return LABEL + "-" + HexFormat.of().formatHex(digest).substring(0, DEDUP_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Future<SinkResponse> call(String step, HttpMethod method, URI url, Optional<JsonObject> body) {
        return http.send(request(method, url, body)).transform(done -> AttemptSteps.check(step, done, clock));
    }

    private SinkRequest request(HttpMethod method, URI url, Optional<JsonObject> body) {
        String pair = config.user() + ":" + config.token().reveal();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        return SinkRequest.json(method, url, Map.of("Authorization", authorization), body.map(JsonObject::toBuffer),
                config.settings().timeout());
    }

    private URI url(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * An issue as the search or a read returned it.
     *
     * @param id             its numeric id; issues made earlier have smaller ones
     * @param key            {@code OPS-1}
     * @param status         the status's name, for messages
     * @param statusCategory {@code new}, {@code indeterminate} or {@code done}
     * @param assignee       the assignee's display name, if assigned
     * @param updated        {@code fields.updated}, {@code 2024-03-01T10:30:00.000+0000}
     */
    private record Issue(long id, String key, String status, String statusCategory, Optional<String> assignee,
            String updated) {
    }

    private record Transition(String id, String name) {
    }
}
