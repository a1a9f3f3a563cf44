package dev.vigil.collector.problem;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.sinks.JiraReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Problems on a real collector: three outages of a service open a problem, which shows in {@code /metrics}
 * and goes to the Jira configured as {@code problems.sink} as one lower-priority issue, taken to Done when
 * the problem is closed through the API; restarts send nothing again, and the other sink gets no problem.
 */
class ProblemTicketsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String ADMIN = "admin-token-for-tests";

    @TempDir
    Path dir;
    JiraReceiver jira;
    RecordingWebhookReceiver ops;
    Collector collector;
    TestAgent agent;
    long start;

    @BeforeEach
    void start() throws IOException {
        jira = JiraReceiver.start("bot@example.com", "jira-token");
        ops = RecordingWebhookReceiver.start();
        startCollector();
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    void startCollector() {
        collector = Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                api:
                  admin_token: %s
                state: {failures_to_open: 1, successes_to_close: 1}
                incidents:
                  damp_flapping: false
                  egress:
                    allow: ["127.0.0.0/8"]
                sinks:
                  - name: jira
                    type: jira
                    base_url: %s
                    project: OPS
                    user: bot@example.com
                    token: jira-token
                    kinds: [budget_exhausted]
                  - name: ops
                    type: webhook
                    url: %s
                problems: {recurrence: {count: 3, within: 1d}, sink: jira}
                services:
                  - name: shop
                    checks:
                      - {check: web, agents: [edge-1]}
                  - name: wiki
                    checks:
                      - {check: wiki, agents: [edge-1]}
                """.formatted(ADMIN, jira.baseUrl(), ops.url("/hooks")), name -> null, dir), InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "edge-token");
    }

    void restartCollector() {
        collector.close();
        startCollector();
        // A refresh of figures ran after the replay: problem tickets are synced in the same cycle.
        await().atMost(DEADLINE).until(() -> agent.metrics().contains("vigil_problems_open{service=\"wiki\"} 0.0"));
    }

    @AfterEach
    void stop() {
        collector.close();
        jira.close();
        ops.close();
    }

    @Test
    void aNewProblemIsOneLowerPriorityIssueClosedWithTheProblemAndNeverSentAgainAfterARestart() {
        agent.ship(records("web", "SFSFSFS", 0, start, 10_000));
        await().atMost(DEADLINE).until(() -> agent.getJson("/api/v1/problems").getJsonArray("problems").size() == 1);
        JsonObject problem = agent.getJson("/api/v1/problems").getJsonArray("problems").getJsonObject(0);
        String key = "problem/shop@" + (start + 10_000);
        assertThat(problem.getString("key")).isEqualTo(key);

        await().atMost(DEADLINE).until(() -> jira.issues().size() == 1);
        JiraReceiver.Issue issue = jira.issues().get(0);
        assertThat(issue.summary()).isEqualTo("Problem: shop keeps failing");
        assertThat(issue.priority()).isEqualTo("Low");
        assertThat(issue.status()).isEqualTo("To Do");
        assertThat(issue.description()).contains("3 outages of shop", "Vigil incident: " + key);

        restartCollector();
        int requestsBefore = jira.requests().size();
        agent.ship(records("web", "SFS", 7, start + 70_000, 10_000));
        await().atMost(DEADLINE).until(() -> agent.getJson("/api/v1/problems").getJsonArray("problems")
                .getJsonObject(0).getInteger("incident_count") == 4);
        restartCollector();
        assertThat(jira.requests()).hasSize(requestsBefore);

        HttpResponse<byte[]> closed = close(problem.getString("id"));
        assertThat(closed.statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> jira.issues().get(0).status().equals("Done"));
        assertThat(jira.issues()).hasSize(1);
        assertThat(String.join("\n", jira.issues().get(0).comments())).contains("[" + key + ":resolved]");

        int requestsAfterClose = jira.requests().size();
        restartCollector();
        assertThat(jira.requests()).hasSize(requestsAfterClose);
        assertThat(jira.issues()).singleElement().extracting(JiraReceiver.Issue::status).isEqualTo("Done");
        // The other sink got the outages, routed as incidents, and no problem.
        assertThat(ops.requests()).isNotEmpty().noneMatch(request -> request.body().contains("problem/"));
    }

    @Test
    void theMetricsShowOpenProblemsPerServiceAndTheMonthsRepeatRate() {
        agent.ship(records("web", "SFSFSFS", 0, start, 10_000));

        await().atMost(DEADLINE).until(() -> agent.metrics().contains("vigil_problems_open{service=\"shop\"} 1.0"));
        String metrics = agent.metrics();
        assertThat(metrics).contains("# TYPE vigil_problems_open gauge", "vigil_problems_open{service=\"wiki\"} 0.0",
                "# TYPE vigil_problem_repeat_rate_ratio gauge");
        if (YearMonth.now(ZoneOffset.UTC).equals(YearMonth.from(Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC)))) {
            assertThat(metrics).contains("vigil_problem_repeat_rate_ratio{service=\"shop\"} 1.0");
        }
        assertThat(metrics).doesNotContain("vigil_problem_repeat_rate_ratio{service=\"wiki\"}");
    }

    private HttpResponse<byte[]> close(String id) {
        return agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/api/v1/problems/" + id + "/close"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("root_cause", "the config was wrong").put("by", "ana").encode()))
                .build());
    }

}
