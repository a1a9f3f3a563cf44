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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTest {
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE_LINE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? -?[0-9.eE+\\-]+|.* (NaN|\\+Inf|-Inf)");

    @TempDir
    static Path dir;
    static Collector collector;
    static TestAgent agent;
    static long start;

    @BeforeAll
    static void startCollector() {
        collector = Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                """, name -> null, dir), InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "edge-token");
        start = System.currentTimeMillis() / 1000 * 1000 - 300_000;
        agent.ship(records("web", "SSSS", 0, start, 10_000));
        agent.ship(records("new", "S", 4, start, 10_000));
        agent.ship(records("down", "SSFF", 5, start, 10_000));
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void listsEveryCheckWithItsStateAndFiguresPerWindow() {
        List<String> ids = agent.getJson("/api/v1/checks").getJsonArray("checks").stream()
                .map(check -> ((JsonObject) check).getString("id")).toList();

        assertThat(ids).containsExactly("edge-1/down", "edge-1/new", "edge-1/web");
        JsonObject web = agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(2);
        assertThat(web.fieldNames()).containsExactlyInAnyOrder("id", "agent", "check", "state", "currentState", "since",
                "lastOutcome", "lastDetail", "lastSampleAt", "samples", "windows");
        assertThat(web.getString("agent")).isEqualTo("edge-1");
        assertThat(web.getString("check")).isEqualTo("web");
        assertThat(web.getString("state")).isEqualTo("up");
        assertThat(web.getString("since")).isEqualTo(Instant.ofEpochMilli(start).toString());
        assertThat(web.getString("lastOutcome")).isEqualTo("OK");
        assertThat(web.getString("lastDetail")).isEmpty();
        assertThat(web.getString("lastSampleAt")).isEqualTo(Instant.ofEpochMilli(start + 30_000).toString());
        assertThat(web.getLong("samples")).isEqualTo(4);
        assertThat(web.getJsonObject("windows").fieldNames()).containsExactlyInAnyOrder("1h", "24h", "30d");
        JsonObject hour = web.getJsonObject("windows").getJsonObject("1h");
        assertThat(hour.fieldNames()).containsExactlyInAnyOrder("availability", "observedSeconds", "downtimeSeconds",
                "noDataSeconds", "outages", "mttrSeconds", "samples", "p50Ms", "p95Ms", "p99Ms");
        assertThat(hour.getDouble("availability")).isEqualTo(1.0);
        assertThat(hour.getDouble("observedSeconds")).isBetween(299.0, 400.0);
        assertThat(hour.getDouble("downtimeSeconds")).isZero();
        assertThat(hour.getDouble("noDataSeconds")).isZero();
        assertThat(hour.getInteger("outages")).isZero();
        assertThat(hour.getValue("mttrSeconds")).isNull();
        assertThat(hour.getLong("samples")).isEqualTo(4);
        assertThat(hour.getDouble("p50Ms")).isEqualTo(2.0);
        assertThat(hour.getDouble("p99Ms")).isEqualTo(2.0);

        JsonObject fresh = agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(1);
        assertThat(fresh.getString("state")).isEqualTo("unknown");
        assertThat(fresh.getValue("since")).isNull();
        JsonObject down = agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(0);
        assertThat(down.getString("state")).isEqualTo("down");
        assertThat(down.getString("since")).isEqualTo(Instant.ofEpochMilli(start + 20_000).toString());
        assertThat(down.getString("lastOutcome")).isEqualTo("STATUS_MISMATCH");
        JsonObject downHour = down.getJsonObject("windows").getJsonObject("1h");
        assertThat(downHour.getInteger("outages")).isEqualTo(1);
        assertThat(downHour.getDouble("availability")).isLessThan(0.1);
    }

    @Test
    void listsIncidentsNewestFirst() {
        JsonObject incident = agent.getJson("/api/v1/incidents").getJsonArray("incidents").getJsonObject(0);

        assertThat(incident.fieldNames()).containsExactlyInAnyOrder("id", "key", "kind", "title", "service", "checks",
                "status", "priority", "impact", "urgency", "startedAt", "detectedAt", "acknowledgedAt",
                "acknowledgedBy", "acknowledgedVia", "resolvedAt", "durationSeconds", "muted", "detail", "labels",
                "outages", "timeline", "openedJournalIndex", "deliveries");
        assertThat(incident.getString("key")).isEqualTo("check/edge-1/down@" + (start + 20_000));
        assertThat(incident.getString("priority")).isEqualTo("P2");
        assertThat(incident.getString("status")).isEqualTo("open");
        assertThat(incident.getDouble("durationSeconds")).isGreaterThan(250.0);
        assertThat(incident.getJsonArray("deliveries")).isEmpty();
    }

    @Test
    void answersHealthOnceReplayed() {
        HttpResponse<byte[]> response = agent.get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void answersUnknownPathsAndWrongMethodsWithJsonErrors() {
        HttpResponse<byte[]> unknown = agent.get("/api/v1/nothing");
        HttpResponse<byte[]> wrongMethod = agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/api/v1/checks"))
                .DELETE().build());
        HttpResponse<byte[]> getIngest = agent.get("/api/v1/ingest");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(body(unknown)).isEqualTo("{\"error\":\"no such endpoint: GET /api/v1/nothing\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(body(wrongMethod)).isEqualTo("{\"error\":\"method DELETE not allowed on /api/v1/checks\"}");
        assertThat(getIngest.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void exposesPrometheusMetricsThatPromtoolAccepts() throws IOException, InterruptedException {
        // The SLA figures are recomputed on a timer, not per scrape: wait for the one after the samples.
        await().atMost(Duration.ofSeconds(30)).until(() -> body(agent.get("/metrics"))
                .contains("vigil_check_latency_percentile_seconds{agent=\"edge-1\",check=\"web\",percentile=\"99\","
                        + "window=\"1h\"} 0.002"));
        HttpResponse<byte[]> response = agent.get("/metrics");
        String text = body(response);

        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(line).matches(SAMPLE_LINE);
            }
        }
        assertThat(text).contains(
                "vigil_check_up{agent=\"edge-1\",check=\"web\"} 1.0",
                "vigil_check_up{agent=\"edge-1\",check=\"down\"} 0.0",
                "vigil_check_availability_ratio{agent=\"edge-1\",check=\"web\",window=\"30d\"} 1.0",
                "vigil_check_latency_percentile_seconds{agent=\"edge-1\",check=\"web\",percentile=\"50\",window=\"30d\"} 0.002",
                "vigil_check_latency_percentile_seconds{agent=\"edge-1\",check=\"down\",percentile=\"90\",window=\"24h\"} 0.002",
                "# TYPE vigil_check_latency_seconds histogram",
                "vigil_check_latency_seconds_bucket{agent=\"edge-1\",check=\"web\",le=\"0.005\"} 4",
                "vigil_check_latency_seconds_count{agent=\"edge-1\",check=\"web\"} 4",
                "vigil_check_latency_seconds_count{agent=\"edge-1\",check=\"down\"} 2",
                "vigil_check_samples_total{agent=\"edge-1\",check=\"down\",outcome=\"status_mismatch\"} 2.0",
                "vigil_ingest_samples_total{agent=\"edge-1\"}",
                "vigil_ingest_rejected_total{reason=\"too_large\"} 0.0",
                "vigil_incidents_open{kind=\"outage\",priority=\"P2\"} 1.0",
                "vigil_incidents_open{kind=\"outage\",priority=\"P1\"} 0.0",
                "vigil_incidents_muted 0.0",
                "vigil_incidents_opened_total 1.0",
                "vigil_collector_journal_entries_total 9.0",
                "jvm_memory_used_bytes");
        assertThat(text).doesNotContain("check=\"new\"} 1.0", "vigil_check_up{agent=\"edge-1\",check=\"new\"}");
        promtoolAccepts(text);
    }

    private static void promtoolAccepts(String text) throws IOException, InterruptedException {
        Promtool.Result result = Promtool.checkMetrics(text);
        assertThat(result.clean()).as("%s:\n%s", result.command(), result.output()).isTrue();
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
