package dev.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.Agent;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.collector.Collector;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.dashboards.Queries.Query;
import dev.vigil.testsupport.prometheus.PrometheusProcess;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.StatusHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL expression of the dashboards and the rules, run against a real Prometheus that scrapes a
 * live collector and live agents, in-process, fed a scenario that makes every panel and every alert
 * condition true: service {@code shop} is healthy, service {@code blog} had an outage 30 minutes ago
 * (backfilled) and is down again now, agent {@code edge-2} cannot reach the collector, a third agent
 * target is not running, one ingest request carries a wrong token, and of the four incident sinks one
 * accepts, one dead-letters (400), one is gone (410) and one keeps failing (503). For the service
 * management panels, blog depends on supplier {@code hosting} (measured by shop), its open incident is
 * acknowledged, two changes are recorded for it, and its failing check ships failure evidence. Prometheus scrapes
 * every second and evaluates the rules every second; each expression must return at least one series
 * within the deadline. The expression → series count table is written to
 * {@code target/live-prometheus-queries.txt}.
 */
class LivePrometheusTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String SERVICE = "blog";
    /**
     * Grafana's variables as the dashboards would set them: one service, every agent and check, and
     * ranges that hold several 1-second scrapes, so rate() and increase() have two samples to work on.
     */
    private static final Map<String, String> VARIABLES = Map.of("service", SERVICE, "agent", ".*", "check", ".*",
            "__rate_interval", "1m", "__range", "1h");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static PrometheusProcess prometheus;

    @BeforeAll
    static void startTheScenario() throws Exception {
        Assumptions.assumeTrue(PrometheusProcess.executable().isPresent(), "prometheus is not on the PATH: this test "
                + "needs Debian's prometheus package (./vigil test and CI install it; apt-get install prometheus)");
        StatusHttpServer healthy = running(StatusHttpServer.healthy());
        StatusHttpServer failing = running(StatusHttpServer.answering(503));
        CannedHttpServer accepting = running(CannedHttpServer.start(CannedHttpServer.Response.of(200)));
        CannedHttpServer refusing = running(CannedHttpServer.start(CannedHttpServer.Response.of(400)));
        CannedHttpServer gone = running(CannedHttpServer.start(CannedHttpServer.Response.of(410)));
        CannedHttpServer unavailable = running(CannedHttpServer.start(CannedHttpServer.Response.of(503)));
        Collector collector = running(Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: collector
                agents:
                  - {name: edge-1, token: edge-1-token}
                  - {name: edge-2, token: edge-2-token}
                api:
                  admin_token: admin-token
                problems:
                  recurrence: {count: 2, within: 7d}
                suppliers:
                  hosting:
                    kind: cloud
                    measured_by: [shop]
                    sla: {availability: 99.95%%}
                slas:
                  standard:
                    period: month
                    objectives:
                      - availability: 99.9%%
                      - latency: {threshold: 250ms, target: 99%%}
                services:
                  - name: shop
                    sla: standard
                    checks:
                      - {check: shop, agents: [edge-1]}
                  - name: blog
                    sla: standard
                    suppliers: [hosting]
                    checks:
                      - {check: blog, agents: [edge-1]}
                sinks:
                  - {name: accepting, type: webhook, url: "%s"}
                  - {name: refusing, type: webhook, url: "%s"}
                  - {name: gone, type: webhook, url: "%s"}
                  - {name: unavailable, type: webhook, url: "%s"}
                incidents:
                  egress: {allow: ["127.0.0.0/8"]}
                """.formatted(accepting.url("/hook"), refusing.url("/hook"), gone.url("/hook"),
                unavailable.url("/hook")), name -> null, dir), InstantSource.system()));
        backfill(collector.baseUri());

        int edge1Port = freePort();
        int edge2Port = freePort();
        prometheus = running(PrometheusProcess.start("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: vigil-collector
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                  - job_name: vigil-agent
                    static_configs:
                      - targets: ["127.0.0.1:%d", "127.0.0.1:%d", "127.0.0.1:%d"]
                """.formatted(Queries.RULES.toAbsolutePath(), collector.port(), edge1Port, edge2Port,
                ClosedPort.find()), dir, freePort()));
        // Counters that move before Prometheus' first scrape show no increase: start moving them after it.
        await().atMost(DEADLINE).until(() -> !prometheus.query("up{job=\"vigil-collector\"} == 1").isEmpty());
        assertThat(post(collector.baseUri().resolve("/api/v1/ingest"), "wrong-token", "application/octet-stream", "")
                .statusCode()).isEqualTo(401);
        running(Agent.start(agent("edge-1", collector.baseUri(), edge1Port, """
                  - {id: shop, type: http, url: "%s", interval: 1s}
                  - {id: blog, type: http, url: "%s", interval: 1s}
                """.formatted(healthy.url("/health"), failing.url("/")))));
        acknowledgeBlogsIncident(collector.baseUri());
        recordChange(collector.baseUri(), "first");
        await().atMost(DEADLINE).until(() -> !prometheus.query("vigil_changes_total{service=\"blog\"} > 0").isEmpty());
        recordChange(collector.baseUri(), "second");
        // edge-2 ships to a port nobody listens on: its journal only grows.
        running(Agent.start(agent("edge-2", URI.create("http://127.0.0.1:" + ClosedPort.find()), edge2Port, """
                  - {id: shop, type: http, url: "%s", interval: 1s}
                """.formatted(healthy.url("/health")))));
    }

    @AfterAll
    static void stopTheScenario() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
        RUNNING.clear();
    }

    @Test
    void everyDashboardAndRuleExpressionReturnsDataFromALiveCollectorAndAgents() throws IOException {
        List<Query> queries = new ArrayList<>(Queries.dashboards());
        queries.addAll(Queries.rules());
        Map<Query, Integer> series = new LinkedHashMap<>();
        queries.forEach(query -> series.put(query, 0));
        try {
            await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> empty = new ArrayList<>();
                for (Query query : queries) {
                    if (series.get(query) == 0) {
                        String expr = query.expand(VARIABLES);
                        series.put(query, prometheus.query(expr).size());
                        if (series.get(query) == 0) {
                            empty.add(query.source() + ": " + expr);
                        }
                    }
                }
                assertThat(empty).as("expressions that returned no data yet").isEmpty();
            });
        } finally {
            writeTable(series);
        }
    }

    @Test
    void everyRuleEvaluatesWithoutError() {
        await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> notOk = new ArrayList<>();
            int rules = 0;
            for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    rules++;
                    if (!rule.path("health").asText().equals("ok")) {
                        notOk.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                                + rule.path("lastError").asText());
                    }
                }
            }
            assertThat(rules).isEqualTo(Queries.rules().size());
            assertThat(notOk).isEmpty();
        });
    }

    /**
     * 60 minutes of history for edge-1's two checks, posted as JSON the way another tool would: shop up
     * with latencies of 20 to 310 ms, blog up but down from 30 to 20 minutes ago (an outage that ended, so
     * there is an MTTR).
     */
    private static void backfill(URI collector) throws IOException, InterruptedException {
        long start = Instant.now().minus(Duration.ofMinutes(60)).toEpochMilli();
        List<String> samples = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            long at = start + minute * 60_000L;
            samples.add("{\"check\": \"shop\", \"time\": %d, \"success\": true, \"latency_ms\": %d}"
                    .formatted(at, 20 + (minute * 37) % 300));
            samples.add(minute >= 30 && minute < 40
                    ? "{\"check\": \"blog\", \"time\": %d, \"outcome\": \"status_mismatch\", \"status_code\": 503}"
                            .formatted(at)
                    : "{\"check\": \"blog\", \"time\": %d, \"success\": true, \"latency_ms\": 45}".formatted(at));
        }
        HttpResponse<String> answer = post(collector.resolve("/api/v1/samples"), "edge-1-token", "application/json",
                "{\"samples\": [" + String.join(",", samples) + "]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(answer.body()).path("accepted").asInt()).as(answer.body()).isEqualTo(120);
    }

    /** Waits for blog's outage incident to open (edge-1 sees it down now) and acknowledges it, for MTTA. */
    private static void acknowledgeBlogsIncident(URI collector) {
        String[] id = new String[1];
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(
                    collector.resolve("/api/v1/incidents?service=blog&status=open&kind=outage")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode incidents = new ObjectMapper().readTree(list.body()).path("incidents");
            assertThat(incidents.size()).as(list.body()).isPositive();
            id[0] = incidents.get(0).path("id").asText();
        });
        HttpResponse<String> ack = send(collector.resolve("/api/v1/incidents/" + id[0] + "/acknowledge"),
                "{\"by\": \"oncall\"}");
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
    }

    private static void recordChange(URI collector, String which) {
        HttpResponse<String> answer = send(collector.resolve("/api/v1/changes"), "{\"service\": \"blog\", "
                + "\"summary\": \"" + which + " deploy\", \"by\": \"ci\", \"start\": \"" + Instant.now()
                + "\", \"risk\": \"low\"}");
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
    }

    private static HttpResponse<String> send(URI uri, String json) {
        try {
            return post(uri, "admin-token", "application/json", json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static AgentConfig agent(String name, URI collector, int port, String checks) {
        return AgentConfig.parse(name + ".yaml", """
                agent:
                  name: %s
                  location: lab
                collector:
                  url: %s
                  token: %s-token
                listen: 127.0.0.1:%d
                checks:
                %s""".formatted(name, collector, name, port, checks), variable -> null, dir)
                .withDataDir(dir.resolve(name));
    }

    private static HttpResponse<String> post(URI uri, String token, String contentType, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void writeTable(Map<Query, Integer> series) throws IOException {
        StringBuilder table = new StringBuilder("series\tsource\texpression (variables: " + VARIABLES + ")\n");
        series.forEach((query, count) -> table.append(count).append('\t').append(query.source()).append('\t')
                .append(query.expand(VARIABLES)).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "live-prometheus-queries.txt"), table, StandardCharsets.UTF_8);
    }

    private static <T extends AutoCloseable> T running(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }

    private static int freePort() throws IOException {
        // Prometheus and the agents are given their ports up front (the scrape configuration names them);
        // another process could take one in between, which shows as "address already in use".
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
