package dev.vigil.collector.api;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.prometheus.AlertmanagerProcess;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident API on a real collector: acknowledgement with the admin token, the sinks' backlog and
 * dead letters, and Alertmanager's webhook turned into incidents, from a scripted payload and from a
 * real Alertmanager.
 */
class IncidentRoutesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String ADMIN = "admin-token-for-tests";
    private static final String INBOUND = "alertmanager-token-for-tests";

    @TempDir
    Path dir;
    RecordingWebhookReceiver receiver;
    Collector collector;
    TestAgent agent;
    long start;

    @BeforeEach
    void start() throws java.io.IOException {
        receiver = RecordingWebhookReceiver.start();
        collector = Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                api:
                  admin_token: %s
                sinks:
                  - name: ops
                    type: webhook
                    url: %s
                incidents:
                  alertmanager_token: %s
                  egress:
                    allow: ["127.0.0.0/8"]
                services:
                  - name: shop
                    checks:
                      - {check: web, agents: [edge-1]}
                """.formatted(ADMIN, receiver.url("/hooks"), INBOUND), name -> null, dir), InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "edge-token");
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stop() {
        collector.close();
        receiver.close();
    }

    @Test
    void acknowledgesAnOpenIncidentWithTheAdminTokenAndTellsTheSinks() {
        agent.ship(records("web", "FF", 0, start, 10_000));
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        String id = "service%2Fshop%40" + start;

        assertThat(post("/api/v1/incidents/" + id + "/acknowledge", "{\"by\":\"alice\"}", null).statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/incidents/" + id + "/acknowledge", "{\"by\":\"alice\"}", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/incidents/" + id + "/acknowledge", "[1]", ADMIN).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/incidents/service%2Fnone%401/acknowledge", "{}", ADMIN).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> acknowledged = post("/api/v1/incidents/" + id + "/acknowledge", "{\"by\":\"alice\"}",
                ADMIN);

        assertThat(acknowledged.statusCode()).isEqualTo(200);
        JsonObject incident = new JsonObject(new String(acknowledged.body(), StandardCharsets.UTF_8));
        assertThat(incident.getString("acknowledgedBy")).isEqualTo("alice");
        assertThat(incident.getString("acknowledgedVia")).isEqualTo("api");
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 2);
        assertThat(receiver.acceptedRequests().get(1).headers()).containsEntry("webhook-id",
                "service/shop@" + start + ":updated:1");
        // A second acknowledgement changes nothing and sends nothing.
        assertThat(post("/api/v1/incidents/" + id + "/acknowledge", "{\"by\":\"bob\"}", ADMIN).statusCode())
                .isEqualTo(200);
        assertThat(agent.getJson("/api/v1/incidents/" + id).getString("acknowledgedBy")).isEqualTo("alice");

        agent.ship(records("web", "SS", 2, start + 20_000, 10_000));
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 3);
        assertThat(post("/api/v1/incidents/" + id + "/acknowledge", "{}", ADMIN).statusCode()).isEqualTo(409);
    }

    @Test
    void listsEachSinkWithItsBacklogAndDeadLetters() {
        receiver.failNext(1, 400);
        agent.ship(records("web", "FF", 0, start, 10_000));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(agent.getJson("/api/v1/sinks").getJsonArray("sinks")
                .getJsonObject(0).getJsonArray("deadLetters")).hasSize(1));
        JsonObject sink = agent.getJson("/api/v1/sinks").getJsonArray("sinks").getJsonObject(0);
        assertThat(sink.getString("name")).isEqualTo("ops");
        assertThat(sink.getBoolean("enabled")).isTrue();
        assertThat(sink.getInteger("pending")).isZero();
        assertThat(sink.getJsonArray("deadLetters").getJsonObject(0).getString("eventId"))
                .isEqualTo("service/shop@" + start + ":opened");
        assertThat(agent.getJson("/api/v1/incidents?status=open&service=shop&kind=outage").getJsonArray("incidents"))
                .hasSize(1);
        assertThat(agent.getJson("/api/v1/incidents?status=resolved").getJsonArray("incidents")).isEmpty();
        assertThat(agent.get("/api/v1/incidents?status=closed").statusCode()).isEqualTo(400);
        assertThat(agent.get("/api/v1/incidents?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void turnsAlertmanagerWebhookAlertsIntoIncidentsAndRefusesABadPayloadWhole() {
        String startsAt = Instant.ofEpochMilli(start).toString();
        String firing = payload("firing", startsAt, "0001-01-01T00:00:00Z");

        assertThat(post("/api/v1/alerts/alertmanager", firing, null).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/alerts/alertmanager", firing, ADMIN).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> bad = post("/api/v1/alerts/alertmanager",
                "{\"alerts\":[" + alert("firing", startsAt, "0001-01-01T00:00:00Z", "aa11") + ","
                        + alert("firing", "yesterday", "0001-01-01T00:00:00Z", "bb22") + "]}", INBOUND);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8))
                .contains("alerts[1].startsAt must be an RFC 3339 time (was 'yesterday')");
        assertThat(agent.getJson("/api/v1/incidents").getJsonArray("incidents")).isEmpty();

        assertThat(post("/api/v1/alerts/alertmanager", firing, INBOUND).statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/alerts/alertmanager", firing, INBOUND).statusCode()).isEqualTo(200);
        JsonArray incidents = agent.getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        JsonObject incident = incidents.getJsonObject(0);
        assertThat(incident.getString("key")).isEqualTo("alert/aa11@" + start);
        assertThat(incident.getString("kind")).isEqualTo("alert");
        assertThat(incident.getString("service")).isEqualTo("shop");
        assertThat(incident.getString("title")).isEqualTo("Disk almost full");
        assertThat(incident.getString("urgency")).isEqualTo("high");
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);

        String endsAt = Instant.now().minusSeconds(5).toString();
        assertThat(post("/api/v1/alerts/alertmanager", payload("resolved", startsAt, endsAt), INBOUND).statusCode())
                .isEqualTo(200);
        assertThat(agent.getJson("/api/v1/incidents").getJsonArray("incidents").getJsonObject(0).getString("status"))
                .isEqualTo("resolved");
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 2);
    }

    @Test
    void aRealAlertmanagerRoutesPrometheusAlertsToVigilAsIncidents() throws Exception {
        Assumptions.assumeTrue(AlertmanagerProcess.executable().isPresent(),
                "prometheus-alertmanager is not on the PATH (./vigil test installs it)");
        Path tokenFile = dir.resolve("vigil-token");
        java.nio.file.Files.writeString(tokenFile, INBOUND);
        String config = """
                route:
                  receiver: vigil
                  group_by: [alertname]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: vigil
                    webhook_configs:
                      - url: %s/api/v1/alerts/alertmanager
                        send_resolved: true
                        http_config:
                          authorization:
                            credentials_file: %s
                """.formatted(collector.baseUri(), tokenFile);
        Path home = java.nio.file.Files.createDirectories(dir.resolve("alertmanager"));
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(config, home)) {
            String startsAt = Instant.now().minusSeconds(30).toString();
            String alert = "[{\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"shop\",\"severity\":\"warning\"},"
                    + "\"annotations\":{\"summary\":\"Disk almost full\"},\"startsAt\":\"" + startsAt + "\"}]";
            postTo(alertmanager.url().resolve("/api/v2/alerts"), alert);

            await().atMost(DEADLINE).until(() -> agent.getJson("/api/v1/incidents?kind=alert")
                    .getJsonArray("incidents").size() == 1);
            JsonObject incident = agent.getJson("/api/v1/incidents?kind=alert").getJsonArray("incidents")
                    .getJsonObject(0);
            assertThat(incident.getString("key")).startsWith("alert/");
            assertThat(incident.getString("status")).isEqualTo("open");
            assertThat(incident.getString("urgency")).isEqualTo("medium");

            String ended = "[{\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"shop\",\"severity\":\"warning\"},"
                    + "\"startsAt\":\"" + startsAt + "\",\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"}]";
            postTo(alertmanager.url().resolve("/api/v2/alerts"), ended);

            await().atMost(DEADLINE).until(() -> "resolved".equals(agent.getJson("/api/v1/incidents?kind=alert")
                    .getJsonArray("incidents").getJsonObject(0).getString("status")));
            assertThat(agent.getJson("/api/v1/incidents?kind=alert").getJsonArray("incidents")).hasSize(1);
        }
    }

    private static String payload(String status, String startsAt, String endsAt) {
        return "{\"version\":\"4\",\"status\":\"" + status + "\",\"receiver\":\"vigil\",\"alerts\":["
                + alert(status, startsAt, endsAt, "aa11") + "]}";
    }

    private static String alert(String status, String startsAt, String endsAt, String fingerprint) {
        return "{\"status\":\"" + status + "\",\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"shop\","
                + "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"Disk almost full\"},\"startsAt\":\""
                + startsAt + "\",\"endsAt\":\"" + endsAt + "\",\"fingerprint\":\"" + fingerprint + "\"}";
    }

    private HttpResponse<byte[]> post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(collector.baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return agent.send(request.build());
    }

    private void postTo(URI url, String body) {
        HttpResponse<byte[]> response = agent.send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }
}
