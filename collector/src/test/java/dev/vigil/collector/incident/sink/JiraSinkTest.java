package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.await;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static dev.vigil.collector.incident.sink.SinkTestBed.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.Secret;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.sinks.JiraReceiver;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Jira sink against a REST API that, like the real one, lets a blind second create duplicate. */
class JiraSinkTest {
    private static final String USER = "bot@example.com";
    private static final String TOKEN = "ATATT-n0t-in-any-message";
    private static final Instant NOW = Instant.parse("2024-03-01T10:07:30Z");
    private static final InstantSource CLOCK = InstantSource.fixed(NOW);
    private static final String KEY = "service/checkout@" + STARTED;

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    JiraReceiver jira;

    @AfterEach
    void stopSite() {
        if (jira != null) {
            jira.close();
        }
    }

    @Test
    void opensOneIssueAndTakesItToDoneOnResolve() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        Incident open = open(KEY);

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.OPENED, open))).isEqualTo(new SendResult.Delivered(201));
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(204));

        assertThat(jira.issues()).hasSize(1);
        assertThat(jira.issuesWithLabel(JiraSink.dedupLabel(KEY))).singleElement().satisfies(issue -> {
            assertThat(issue.labels()).containsExactly("vigil", JiraSink.dedupLabel(KEY));
            assertThat(new JsonObject(issue.properties().get("vigil.incident"))).isEqualTo(new JsonObject().put("key", KEY));
            assertThat(issue.summary()).isEqualTo("checkout is down");
            assertThat(issue.issueType()).isEqualTo("Bug");
            assertThat(issue.priority()).isEqualTo("High");
            assertThat(issue.description()).contains("HTTP 503 from /health", "Service: checkout", "edge-1/web",
                    "2024-03-01T10:00:00Z", KEY);
            assertThat(issue.status()).isEqualTo("Done");
            assertThat(issue.comments()).singleElement().asString()
                    .startsWith("Resolved by Vigil: checkout recovered at 2024-03-01T10:05:00Z, outage 5m 0s");
        });
    }

    @Test
    void createsOneIssueWhenTheResponseToTheFirstCreateWasLost() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open(KEY));
        jira.loseNextCreateResponse();

        assertThat(send(sink, opened)).isInstanceOf(SendResult.Retry.class);
        assertThat(jira.issues()).singleElement().satisfies(issue -> assertThat(issue.properties()).isEmpty());
        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(200));

        assertThat(jira.issues()).singleElement().satisfies(issue ->
                assertThat(issue.properties()).containsKey("vigil.incident"));
    }

    @Test
    void rejectsAResolutionWhoseTransitionTheWorkflowDoesNotHaveNamingTheOnesItHas() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Close Issue");
        Incident open = open(KEY);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));

        SendResult result = send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open)));

        assertThat(result).isEqualTo(new SendResult.Rejected("resolve OPS-1: no transition named 'Close Issue' from "
                + "status 'To Do'; available: 'Start Progress', 'Done'"));
        assertThat(jira.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.status()).isEqualTo("To Do");
            assertThat(issue.comments()).isEmpty();
        });
    }

    @Test
    void leavesAnIssueThatIsAlreadyDoneAsItIs() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "done");
        IncidentEvent resolved = IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open(KEY)));
        assertThat(send(sink, resolved)).isEqualTo(new SendResult.Delivered(204));
        int before = jira.requests().size();

        assertThat(send(sink, resolved)).isEqualTo(new SendResult.Delivered(200));

        assertThat(jira.requests().subList(before, jira.requests().size()))
                .extracting(JiraReceiver.Request::method).containsExactly("GET", "GET");
        assertThat(jira.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.status()).isEqualTo("Done");
            assertThat(issue.comments()).hasSize(1);
        });
    }

    @Test
    void readsBackTheAssigneeOfAnIssueInProgressAsItsAcknowledgement() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        Incident open = open(KEY);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        assertThat(await(sink.readAcknowledgement(open))).isEmpty();

        jira.startProgress("OPS-1", "Ada Lovelace");

        assertThat(await(sink.readAcknowledgement(open)))
                .contains(new Acknowledgement(NOW.toEpochMilli(), "Ada Lovelace", "jira"));
    }

    @Test
    void rejectsAWrongTokenWithoutShowingIt() throws Exception {
        String wrong = "ATATT-wr0ng-t0ken";
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, wrong, "Done");

        SendResult result = send(sink, IncidentEvent.of(IncidentEventType.OPENED, open(KEY)));

        assertThat(result).isInstanceOf(SendResult.Rejected.class);
        assertThat(((SendResult.Rejected) result).error()).contains("401", "not authenticated")
                .doesNotContain(wrong)
                .doesNotContain(Base64.getEncoder().encodeToString((USER + ":" + wrong).getBytes(StandardCharsets.UTF_8)));
        assertThat(jira.issues()).isEmpty();
    }

    @Test
    void retriesARateLimitedAttemptAfterTheSitesRetryAfter() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open(KEY));
        jira.rateLimitNext(1, Duration.ofSeconds(17));

        SendResult result = send(sink, opened);

        assertThat(result).isInstanceOf(SendResult.Retry.class);
        assertThat(((SendResult.Retry) result).retryAfter()).contains(Duration.ofSeconds(17));
        assertThat(((SendResult.Retry) result).error()).startsWith("lookup: HTTP 429");
        assertThat(jira.issues()).isEmpty();
        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(201));
    }

    @Test
    void retriesWhenTheSiteIsUnavailableAfterTheIssueWasCreated() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        Incident open = open(KEY);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        jira.unavailableNext(1);

        SendResult result = send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open)));

        assertThat(result).isInstanceOf(SendResult.Retry.class);
        assertThat(((SendResult.Retry) result).error()).startsWith("lookup: HTTP 503");
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(204));
        assertThat(jira.issues()).singleElement().satisfies(issue -> assertThat(issue.status()).isEqualTo("Done"));
    }

    @Test
    void createsAndThenResolvesTheIssueOfAnIncidentResolvedBeforeItsOpeningWasDelivered() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open(KEY)))))
                .isEqualTo(new SendResult.Delivered(204));

        assertThat(jira.issuesWithLabel(JiraSink.dedupLabel(KEY))).singleElement().satisfies(issue -> {
            assertThat(issue.status()).isEqualTo("Done");
            assertThat(issue.properties()).containsKey("vigil.incident");
        });
    }

    @Test
    void addsACommentForAnUpdate() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        Incident open = open(KEY);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        Incident escalated = open.escalate(List.of(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")),
                STARTED + 60_000, "edge-2/web is down too");

        assertThat(send(sink, new IncidentEvent(IncidentEventType.UPDATED, 1, escalated)))
                .isEqualTo(new SendResult.Delivered(201));

        assertThat(jira.issues()).singleElement().satisfies(issue -> assertThat(issue.comments())
                .singleElement().asString()
                .contains("Vigil update 1: edge-2/web is down too", "edge-1/web, edge-2/web", "[" + KEY + ":updated:1]"));
    }

    @Test
    void searchesWithTheClassicEndpointOnDataCenter() throws Exception {
        JiraSink sink = sink(JiraReceiver.Flavour.DATA_CENTER, TOKEN, "Done");
        Incident open = open(KEY);

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.OPENED, open))).isEqualTo(new SendResult.Delivered(201));
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(204));

        assertThat(jira.issues()).singleElement().satisfies(issue -> assertThat(issue.status()).isEqualTo("Done"));
        assertThat(jira.requests()).filteredOn(request -> request.path().startsWith("/rest/api/2/search"))
                .extracting(request -> request.path().substring(0, request.path().indexOf('?')))
                .containsExactly("/rest/api/2/search/jql", "/rest/api/2/search", "/rest/api/2/search");
    }

    @Test
    void theIssuesDescriptionEndsWithTheEvidenceOfTheFirstFailure() throws Exception {
        sink(JiraReceiver.Flavour.CLOUD, TOKEN, "Done");
        JiraSink sink = new JiraSink(new SinkConfig.Jira(SinkSettings.named("jira"), jira.baseUrl(),
                JiraReceiver.PROJECT, "Bug", USER, Secret.of(TOKEN), "Done", Map.of()), bed.http(), CLOCK,
                SinkTestBed.EVIDENCE);

        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open(KEY)));

        assertThat(jira.issues()).singleElement().satisfies(issue -> assertThat(issue.description())
                .contains("\n\nEvidence (first failure first):\n- HTTP/1.1 503 Service Unavailable at "
                        + "2024-03-01T10:00:00Z (edge-1/web)\n  Remote address: 127.0.0.1:8443\n"));
    }

    private JiraSink sink(JiraReceiver.Flavour flavour, String token, String resolveTransition) throws Exception {
        if (jira == null) {
            jira = JiraReceiver.start(USER, TOKEN, flavour, CLOCK);
        }
        SinkConfig.Jira config = new SinkConfig.Jira(SinkSettings.named("jira"), jira.baseUrl(), JiraReceiver.PROJECT,
                "Bug", USER, Secret.of(token), resolveTransition, Map.of());
        return new JiraSink(config, bed.http(), CLOCK);
    }

    private static Incident open(String key) {
        return outage().key(key).priority(Level.HIGH, Level.MEDIUM, Priority.P2).detail("HTTP 503 from /health")
                .labels(Map.of()).build();
    }

    private static Incident resolved(Incident open) {
        return open.resolve(STARTED + 300_000, "recovered");
    }
}
