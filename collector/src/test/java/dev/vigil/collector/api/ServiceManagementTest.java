package dev.vigil.collector.api;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-management records on a real collector: three outages of a service in a few minutes
 * open one problem, a change recorded just before the first marks it as possibly change-induced, and
 * the incident KPIs show in the API and the metrics.
 */
class ServiceManagementTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Collector collector;
    TestAgent agent;
    long start;

    @BeforeEach
    void start() {
        collector = Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                api:
                  admin_token: admin-token-for-tests
                state: {failures_to_open: 1, successes_to_close: 1}
                incidents:
                  damp_flapping: false
                kpi_targets: {detect: 1m, acknowledge: 30m, restore: 1h}
                problems: {recurrence: {count: 3, within: 1d}}
                services:
                  - name: shop
                    checks:
                      - {check: web, agents: [edge-1]}
                """, name -> null, dir), InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "edge-token");
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void threeOutagesOpenOneProblemFollowAChangeAndShowTheirKpis() {
        java.net.http.HttpResponse<byte[]> recorded = agent.send(java.net.http.HttpRequest.newBuilder(
                collector.baseUri().resolve("/api/v1/changes"))
                .header("Authorization", "Bearer admin-token-for-tests")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("service", "shop").put("summary", "deploy 4.2").put("by", "ci")
                        .put("start", java.time.Instant.ofEpochMilli(start - 60_000).toString())
                        .put("risk", "low").put("external_id", "deploy-42").encode()))
                .build());
        assertThat(recorded.statusCode()).isEqualTo(201);
        agent.ship(records("web", "SFSFSFS", 0, start, 10_000));

        await().atMost(DEADLINE).until(() -> agent.getJson("/api/v1/incidents").getJsonArray("incidents").size() == 3);
        JsonArray problems = agent.getJson("/api/v1/problems").getJsonArray("problems");
        assertThat(problems).hasSize(1);
        JsonObject problem = problems.getJsonObject(0);
        assertThat(problem.getString("key")).isEqualTo("problem/shop@" + (start + 10_000));

        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        if (!month.equals(java.time.YearMonth.from(java.time.Instant.ofEpochMilli(start)
                .atZone(java.time.ZoneOffset.UTC)).toString())) {
            return; // the test straddles a month boundary: the outages are in the previous month
        }
        String induced = agent.getJson("/api/v1/changes/induced?period=" + month).encode();
        assertThat(induced).contains("deploy 4.2").contains("\"change_induced_incidents\":3").contains("\"change_success_ratio\":0.0");
        JsonObject kpis = agent.getJson("/api/v1/kpis?period=current");
        assertThat(kpis.encode()).contains("\"shop\"");
        await().atMost(DEADLINE).until(() -> agent.metrics().contains("vigil_incident_mttr_seconds{service=\"shop\"} 10.0"));
    }
}
