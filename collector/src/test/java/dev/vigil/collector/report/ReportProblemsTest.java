package dev.vigil.collector.report;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The problems of the month in the SLA report, on a real collector fed in October 2026: shop's three
 * outages make an open problem, api's three a problem closed with a root cause, wiki has none.
 */
class ReportProblemsTest {
    private static final String ADMIN = "admin-token-for-tests";
    private static final long T0 = Instant.parse("2026-10-14T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String ROOT_CAUSE = "cache <evicted> & \"stale\"";

    @TempDir
    Path dir;
    TestClock clock;
    Collector collector;
    TestAgent agent;

    @BeforeEach
    void feedOctober() {
        clock = new TestClock(T0);
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
                  burn_rate: false
                  budget_exhausted: false
                slas:
                  basic:
                    objectives:
                      - availability: 99%%
                services:
                  - name: shop
                    sla: basic
                    checks:
                      - {check: shop, agents: [edge-1]}
                  - name: api
                    sla: basic
                    checks:
                      - {check: api, agents: [edge-1]}
                  - name: wiki
                    sla: basic
                    checks:
                      - {check: wiki, agents: [edge-1]}
                """.formatted(ADMIN), name -> null, dir), clock);
        agent = new TestAgent(collector.baseUri(), "edge-token");
        clock.set(T0 + 30 * MINUTE);
        agent.ship(records("shop", "SFSFSFSSSS", 0, T0, MINUTE));
        agent.ship(records("api", "SSFSFSFSSS", 100, T0, MINUTE));
        agent.ship(records("wiki", "SSSSSSSSSS", 200, T0, MINUTE));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                agent.getJson("/api/v1/problems").getJsonArray("problems").size() == 2);
        clock.set(T0 + 60 * MINUTE);
        HttpResponse<byte[]> closed = agent.send(HttpRequest.newBuilder(collector.baseUri()
                        .resolve("/api/v1/problems/" + problem("api").getString("id") + "/close"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("root_cause", ROOT_CAUSE)
                        .put("by", "ana").encode()))
                .build());
        assertThat(closed.statusCode()).isEqualTo(200);
        clock.set(Instant.parse("2026-11-20T12:00:00Z").toEpochMilli());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    JsonObject problem(String service) {
        for (Object problem : agent.getJson("/api/v1/problems?service=" + service).getJsonArray("problems")) {
            return (JsonObject) problem;
        }
        throw new AssertionError("no problem of " + service);
    }

    @Test
    void theJsonReportCarriesEachServicesProblemRow() {
        JsonObject report = agent.getJson("/api/v1/reports/sla?period=2026-10&format=json");

        assertThat(problems(report, "shop")).containsExactly(new JsonObject().put("key", "problem/shop@" + (T0 + MINUTE))
                .put("status", "open").put("incidents", 3).putNull("rootCause"));
        assertThat(problems(report, "api")).containsExactly(new JsonObject().put("key", "problem/api@" + (T0 + 2 * MINUTE))
                .put("status", "closed").put("incidents", 3).put("rootCause", ROOT_CAUSE));
        assertThat(problems(report, "wiki")).isEmpty();
    }

    @Test
    void theHtmlReportShowsEachProblemAsARowEscaped() {
        HttpResponse<byte[]> response = agent.get("/api/v1/reports/sla?period=2026-10&format=html");

        assertThat(response.statusCode()).isEqualTo(200);
        String html = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(html).contains(
                "<td>problem/shop@" + (T0 + MINUTE) + "</td><td>open</td><td>3</td><td>-</td>",
                "<td>problem/api@" + (T0 + 2 * MINUTE) + "</td><td>closed</td><td>3</td>"
                        + "<td>cache &lt;evicted&gt; &amp; &quot;stale&quot;</td>",
                "No problems.");
        assertThat(html).doesNotContain(ROOT_CAUSE);
    }

    private static JsonArray problems(JsonObject report, String service) {
        for (Object customer : report.getJsonArray("customers")) {
            for (Object item : ((JsonObject) customer).getJsonArray("services")) {
                if (((JsonObject) item).getString("service").equals(service)) {
                    return ((JsonObject) item).getJsonArray("problems");
                }
            }
        }
        throw new AssertionError("no service " + service + " in " + report.encode());
    }
}
