package dev.vigil.collector.api;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.prometheus.Promtool;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/sla} on a real collector: a service with an outage reports availability below 1
 * with the outage and MTTR, a healthy one reports 1, bad parameters are named, the metrics carry the
 * same figures, and a restart (from its snapshot, or from the journal alone) answers the same.
 */
class SlaApiTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final long START = NOW.toEpochMilli() - 3_600_000L;
    private static final String YAML = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-token
            slas:
              standard:
                period: month
                objectives:
                  - availability: 99.9%
                  - latency: {threshold: 250ms, target: 99%}
            services:
              - name: flaky
                owner: web-team
                sla: standard
                checks:
                  - {check: flaky, agents: [edge-1]}
              - name: healthy
                sla: standard
                checks:
                  - {check: healthy, agents: [edge-1]}
              - name: unmeasured
            """;

    @TempDir
    Path dir;

    @Test
    void reportsAnOutageWithItsMttrAndAHealthyServiceAtOne() throws IOException, InterruptedException {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            JsonObject flaky = agent.getJson("/api/v1/sla?service=flaky");
            assertThat(flaky.getString("period")).isEqualTo("2026-11");
            assertThat(flaky.getString("from")).isEqualTo("2026-11-01T00:00:00Z");
            assertThat(flaky.getString("countedUntil")).isEqualTo(NOW.toString());
            assertThat(flaky.getBoolean("complete")).isFalse();
            // 60 samples a minute apart; failures 10..14 make one outage from sample 10 to sample 15.
            assertThat(flaky.getDouble("downtimeSeconds")).isEqualTo(300.0);
            assertThat(flaky.getDouble("agreedSeconds")).isEqualTo(3_600.0);
            assertThat(flaky.getDouble("availability")).isEqualTo(1 - 300.0 / 3_600.0);
            assertThat(flaky.getJsonArray("outages")).hasSize(1);
            JsonObject outage = flaky.getJsonArray("outages").getJsonObject(0);
            assertThat(outage.getString("start")).isEqualTo(Instant.ofEpochMilli(START + 600_000).toString());
            assertThat(outage.getString("end")).isEqualTo(Instant.ofEpochMilli(START + 900_000).toString());
            assertThat(flaky.getDouble("mttrSeconds")).isEqualTo(300.0);
            JsonObject availability = flaky.getJsonArray("objectives").getJsonObject(0);
            assertThat(availability.getString("kind")).isEqualTo("availability");
            assertThat(availability.getBoolean("met")).isFalse();
            assertThat(availability.getDouble("errorBudgetRemaining")).isNegative();
            assertThat(availability.getJsonArray("burnRates")).isNotEmpty();

            JsonObject healthy = agent.getJson("/api/v1/sla?service=healthy");
            assertThat(healthy.getDouble("availability")).isEqualTo(1.0);
            assertThat(healthy.getJsonArray("outages")).isEmpty();
            assertThat(healthy.getJsonArray("objectives").getJsonObject(1).getBoolean("met")).isTrue();

            JsonObject service = agent.getJson("/api/v1/services/flaky");
            assertThat(service.getJsonObject("status").getString("state")).isEqualTo("up");
            assertThat(service.getJsonObject("status").getJsonArray("checks").getJsonObject(0)
                    .getJsonArray("locations").getJsonObject(0).getString("agent")).isEqualTo("edge-1");
            assertThat(service.getJsonObject("attainment").getDouble("availability")).isLessThan(1.0);
            assertThat(service.getJsonObject("attainment").getInteger("outages")).isEqualTo(1);

            JsonObject all = agent.getJson("/api/v1/sla");
            assertThat(all.getJsonArray("services")).extracting(s -> ((JsonObject) s).getString("service"))
                    .containsExactly("flaky", "healthy");

            JsonObject range = agent.getJson("/api/v1/sla?service=flaky&from=" + encode(
                    Instant.ofEpochMilli(START + 900_000).toString()) + "&to=" + encode(NOW.toString()));
            assertThat(range.getString("period")).isEqualTo("custom");
            assertThat(range.getDouble("availability")).isEqualTo(1.0);

            await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().contains(
                    "vigil_sla_availability_ratio{period=\"2026-11\",service=\"flaky\",sla=\"standard\"}"));
            String metrics = agent.metrics();
            assertThat(metrics).contains(
                    "vigil_sla_availability_ratio{period=\"2026-11\",service=\"healthy\",sla=\"standard\"} 1.0",
                    "vigil_sla_downtime_seconds{service=\"flaky\",sla=\"standard\"} 300.0",
                    "vigil_sla_mttr_seconds{service=\"flaky\",sla=\"standard\"} 300.0",
                    "vigil_sla_agreed_seconds{service=\"flaky\",sla=\"standard\"} 3600.0",
                    "vigil_sla_outages{service=\"flaky\",sla=\"standard\"} 1.0",
                    "vigil_sla_error_budget_remaining_ratio{objective=\"availability\",service=\"flaky\",sla=\"standard\"}",
                    "vigil_sla_objective_ratio{objective=\"latency<=250ms\",service=\"healthy\",sla=\"standard\"} 1.0",
                    "vigil_sla_objective_met{objective=\"availability\",service=\"flaky\",sla=\"standard\"} 0.0",
                    "vigil_sla_objective_target_ratio{objective=\"latency<=250ms\",service=\"flaky\",sla=\"standard\"} 0.99",
                    "vigil_sla_burn_rate{objective=\"availability\",service=\"flaky\",sla=\"standard\",window=\"1h\"}",
                    "vigil_service_up{service=\"flaky\"} 1.0");
            Promtool.Result promtool = Promtool.checkMetrics(metrics);
            assertThat(promtool.clean()).as("%s:\n%s", promtool.command(), promtool.output()).isTrue();
        }
    }

    @Test
    void namesTheParameterThatIsWrong() {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            assertError(agent, "/api/v1/sla?service=nope", 404, "no service named 'nope'");
            assertError(agent, "/api/v1/sla?service=unmeasured", 404, "service 'unmeasured' has no SLA");
            assertError(agent, "/api/v1/sla?service=flaky&period=2019-01", 400, "period must be current, previous or "
                    + "a period label of this SLA within the last 13 months, like 2026-11 (was '2019-01')");
            assertError(agent, "/api/v1/sla?service=flaky&from=yesterday&to=2026-11-02", 400,
                    "from must be an ISO-8601 instant like 2026-11-01T00:00:00Z or a date like 2026-11-01 "
                            + "(was 'yesterday')");
            assertError(agent, "/api/v1/sla?service=flaky&from=2026-11-02", 400, "from and to go together (missing to)");
            assertError(agent, "/api/v1/sla?service=flaky&from=2026-11-02&to=2026-11-01", 400,
                    "to must be after from (were 2026-11-02 and 2026-11-01)");
        }
    }

    @Test
    void aRestartFromTheSnapshotOrFromTheJournalAloneAnswersTheSame() throws IOException {
        String before;
        String previousBefore;
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);
            before = agent.getJson("/api/v1/sla?service=flaky").encode();
            previousBefore = agent.getJson("/api/v1/sla?service=flaky&period=previous").encode();
        }
        try (Collector collector = start()) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
            assertThat(agent.getJson("/api/v1/sla?service=flaky").encode()).isEqualTo(before);
            assertThat(agent.getJson("/api/v1/sla?service=flaky&period=previous").encode()).isEqualTo(previousBefore);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("data/snapshots"))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        try (Collector collector = start()) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
            assertThat(agent.getJson("/api/v1/sla?service=flaky").encode()).isEqualTo(before);
        }
    }

    private Collector start() {
        return Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir),
                InstantSource.fixed(NOW));
    }

    private static TestAgent feed(Collector collector) {
        TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
        agent.ship(records("flaky", "S".repeat(10) + "FFFFF" + "S".repeat(45), 0, START, 60_000));
        agent.ship(records("healthy", "S".repeat(60), 60, START, 60_000));
        return agent;
    }

    private static void assertError(TestAgent agent, String path, int status, String message) {
        var response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error")).as(path)
                .isEqualTo(message);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
