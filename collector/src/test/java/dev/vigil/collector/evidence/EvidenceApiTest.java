package dev.vigil.collector.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure evidence on a real collector: samples that carry it show it in the incident API, in
 * {@code GET /api/v1/evidence} and in the webhook's opening payload, count in
 * {@code vigil_evidence_received_total}, and read the same after a restart from a snapshot and after a
 * full journal replay.
 */
class EvidenceApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    RecordingWebhookReceiver receiver;
    Collector collector;
    TestAgent agent;
    long start;
    String yaml;

    @BeforeEach
    void start() throws IOException {
        receiver = RecordingWebhookReceiver.start();
        yaml = """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                api:
                  admin_token: admin-token
                sinks:
                  - name: ops
                    type: webhook
                    url: %s
                incidents:
                  egress:
                    allow: ["127.0.0.0/8"]
                slas:
                  basic:
                    period: month
                    objectives:
                      - availability: 99%%
                services:
                  - name: shop
                    sla: basic
                    checks:
                      - {check: web, agents: [edge-1]}
                """.formatted(receiver.url("/hooks"));
        collector = startCollector();
        agent = new TestAgent(collector.baseUri(), "edge-token");
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stop() {
        collector.close();
        receiver.close();
    }

    @Test
    void anIncidentShowsTheEvidenceOfItsFailuresFirstFailureFirstAndTheWebhookCarriesIt() {
        agent.ship(List.of(failure(0, 0, 503, "HTTP/1.1 503 Service Unavailable"),
                failure(1, 1, 503, "HTTP/1.1 503 Service Unavailable")));
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        agent.ship(List.of(failure(2, 2, 502, "HTTP/1.1 502 Bad Gateway")));
        await().atMost(DEADLINE).until(() -> admin("/api/v1/evidence?agent=edge-1&check=web")
                .getJsonArray("evidence").size() == 2);

        JsonObject opened = new JsonObject(receiver.acceptedRequests().get(0).body());
        JsonArray sent = opened.getJsonArray("evidence");
        assertThat(sent).hasSize(1);
        assertThat(sent.getJsonObject(0).getString("status_line")).isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(sent.getJsonObject(0).getString("at")).isEqualTo(Instant.ofEpochMilli(start).toString());

        JsonArray shown = incidentEvidence();
        // The repeated 503 adds nothing: the index keeps failures that differ from the one before.
        assertThat(shown).hasSize(2);
        JsonObject first = shown.getJsonObject(0);
        assertThat(first.getString("agent")).isEqualTo("edge-1");
        assertThat(first.getString("check")).isEqualTo("web");
        assertThat(first.getString("outcome")).isEqualTo("STATUS_MISMATCH");
        assertThat(first.getInteger("status_code")).isEqualTo(503);
        assertThat(first.getString("remote_address")).isEqualTo("127.0.0.1:8443");
        assertThat(first.getJsonArray("headers").getJsonObject(0).getString("name")).isEqualTo("Retry-After");
        assertThat(first.getString("body")).isEqualTo("upstream down");
        assertThat(first.getJsonObject("phases").getDouble("connect_ms")).isEqualTo(0.3);
        assertThat(first.getJsonObject("phases").getValue("tls_ms")).isNull();
        assertThat(first.getJsonArray("tls_chain").getJsonObject(0).getString("subject")).isEqualTo("CN=shop");
        assertThat(shown.getJsonObject(1).getString("status_line")).isEqualTo("HTTP/1.1 502 Bad Gateway");
        assertThat(agent.metric("vigil_evidence_received_total{agent=\"edge-1\"}")).isEqualTo(3.0);
    }

    @Test
    void theServicesStatusDetailNamesEachLocationsLastFailure() {
        agent.ship(List.of(failure(0, 0, 503, "HTTP/1.1 503 Service Unavailable"),
                failure(1, 1, 502, "HTTP/1.1 502 Bad Gateway")));

        await().atMost(DEADLINE).untilAsserted(() -> {
            JsonObject location = agent.getJson("/api/v1/services/shop").getJsonObject("status")
                    .getJsonArray("checks").getJsonObject(0).getJsonArray("locations").getJsonObject(0);
            JsonObject last = location.getJsonObject("last_failure");
            assertThat(last).as(location.encode()).isNotNull();
            assertThat(last.getString("summary")).contains("502 Bad Gateway");
            assertThat(last.getString("at")).isEqualTo(Instant.ofEpochMilli(start + 10_000).toString());
        });
    }

    @Test
    void theEvidenceReadsTheSameAfterARestartFromASnapshotAndAfterAFullReplay() throws IOException {
        agent.ship(List.of(failure(0, 0, 503, "HTTP/1.1 503 Service Unavailable"),
                failure(1, 1, 504, "HTTP/1.1 504 Gateway Timeout"), failure(2, 2, 502, "HTTP/1.1 502 Bad Gateway")));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(incidentEvidence()).hasSize(3));
        JsonArray live = incidentEvidence();
        JsonArray listed = admin("/api/v1/evidence?agent=edge-1").getJsonArray("evidence");

        restart();
        assertThat(incidentEvidence()).isEqualTo(live);
        assertThat(admin("/api/v1/evidence?agent=edge-1").getJsonArray("evidence")).isEqualTo(listed);

        collector.close();
        try (Stream<Path> files = Files.walk(dir.resolve("data").resolve("snapshots"))) {
            files.sorted(Comparator.reverseOrder()).filter(Files::isRegularFile).forEach(file -> file.toFile().delete());
        }
        collector = startCollector();
        agent = new TestAgent(collector.baseUri(), "edge-token");
        assertThat(incidentEvidence()).isEqualTo(live);
    }

    @Test
    void theMonthlyReportNamesEachIncidentsFirstFailure() {
        agent.ship(List.of(failure(0, 0, 503, "HTTP/1.1 503 Service Unavailable"),
                failure(1, 1, 502, "HTTP/1.1 502 Bad Gateway")));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(incidentEvidence()).hasSize(2));
        String period = YearMonth.from(Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC)).toString();
        String line = "first failure: HTTP/1.1 503 Service Unavailable at " + Instant.ofEpochMilli(start) + " (edge-1/web)";

        JsonObject report = agent.getJson("/api/v1/reports/sla?period=" + period + "&format=json");
        JsonObject incident = report.getJsonArray("customers").getJsonObject(0).getJsonArray("services").getJsonObject(0)
                .getJsonArray("incidents").getJsonObject(0);
        assertThat(incident.getString("firstFailure")).isEqualTo(line);
        String csv = new String(agent.get("/api/v1/reports/sla?period=" + period + "&format=csv&table=incidents").body(),
                StandardCharsets.UTF_8);
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",first_failure");
        assertThat(csv).contains(line);
        String html = new String(agent.get("/api/v1/reports/sla?period=" + period + "&format=html").body(),
                StandardCharsets.UTF_8);
        assertThat(html).contains("service/shop@" + start + ": " + line);
    }

    @Test
    void theEvidenceListAnswers400NamingTheParameterThatIsWrong() {
        assertThat(error("/api/v1/evidence")).isEqualTo("agent is required (e.g. ?agent=eu-west-1&check=checkout-http)");
        assertThat(error("/api/v1/evidence?agent=")).isEqualTo("agent must not be empty");
        assertThat(error("/api/v1/evidence?agent=edge-1&check=")).isEqualTo("check must not be empty");
        assertThat(error("/api/v1/evidence?agent=edge-1&limit=0")).isEqualTo("limit must be 1..500 (was '0')");
        assertThat(error("/api/v1/evidence?agent=edge-1&limit=ten")).isEqualTo("limit must be 1..500 (was 'ten')");
        assertThat(error("/api/v1/evidence?agent=edge-1&agent=edge-2"))
                .isEqualTo("agent may be given once (was given 2 times)");
        assertThat(error("/api/v1/evidence?agent=edge-1&chek=web"))
                .isEqualTo("unknown parameter 'chek': use agent, check and limit");
        assertThat(admin("/api/v1/evidence?agent=nobody&limit=5").getJsonArray("evidence")).isEmpty();
    }

    @Test
    void evidenceIsOnlyForTheAdminToken() {
        agent.ship(List.of(failure(0, 0, 503, "HTTP/1.1 503 Service Unavailable"),
                failure(1, 1, 503, "HTTP/1.1 503 Service Unavailable")));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(incidentEvidence()).hasSize(1));

        assertThat(agent.get("/api/v1/evidence?agent=edge-1").statusCode()).isEqualTo(401);
        JsonObject open = agent.getJson("/api/v1/incidents/service%2Fshop%40" + start);
        assertThat(open.getString("service")).isEqualTo("shop");
        assertThat(open.containsKey("evidence")).as(open.encode()).isFalse();
    }

    private JsonObject admin(String path) {
        var response = withToken(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> withToken(String path) {
        return agent.send(HttpRequest.newBuilder(collector.baseUri().resolve(path))
                .header("Authorization", "Bearer admin-token").GET().build());
    }

    private String error(String path) {
        var response = withToken(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error");
    }

    private JsonArray incidentEvidence() {
        return admin("/api/v1/incidents/service%2Fshop%40" + start).getJsonArray("evidence");
    }

    private void restart() {
        collector.close();
        collector = startCollector();
        agent = new TestAgent(collector.baseUri(), "edge-token");
    }

    private Collector startCollector() {
        return Collector.start(CollectorConfig.parse("collector.yaml", yaml, name -> null, dir), InstantSource.system());
    }

    private SampleRecord failure(long index, int step, int status, String statusLine) {
        Evidence evidence = Evidence.bounded("127.0.0.1:8443", statusLine,
                List.of(new Evidence.Header("Retry-After", "30")), "upstream down", false, List.of(),
                List.of(new Evidence.Certificate("CN=shop", "CN=Test CA", 0, 86_400_000L, "ab".repeat(32))), "");
        Sample sample = new Sample("web", start + step * 10_000L, 1_000, Outcome.STATUS_MISMATCH, 200_000, 300_000,
                -1, 1_500_000, 2_000_000, status, "expected 2xx, got " + status).withEvidence(evidence);
        return new SampleRecord(index, sample);
    }
}
