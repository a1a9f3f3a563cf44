package dev.vigil.collector.incident;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncidentDeliveryTest {
    private static final byte[] KEY = "a signing key of thirty-two byte".getBytes(StandardCharsets.UTF_8);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    RecordingWebhookReceiver receiver;
    Collector collector;
    TestAgent agent;
    long start;

    @BeforeEach
    void start() throws IOException {
        receiver = RecordingWebhookReceiver.start();
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                webhooks:
                  - name: ops
                    url: %s
                    timeout: 2s
                    secret: whsec_%s
                incidents:
                  egress:
                    allow: ["127.0.0.0/8"]
                """.formatted(receiver.url("/hooks"), Base64.getEncoder().encodeToString(KEY)), name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "edge-token");
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stop() {
        collector.close();
        receiver.close();
    }

    @Test
    void opensAndResolvesOneIncidentDeliveringEachEventOnceSigned() throws GeneralSecurityException {
        agent.ship(records("web", "SSFF", 0, start, 10_000));
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        agent.ship(records("web", "FFSFSS", 4, start + 40_000, 10_000));
        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 2);

        String key = "check/edge-1/web@" + (start + 20_000);
        List<Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        Request opened = requests.get(0);
        Request resolved = requests.get(1);
        assertThat(opened.method()).isEqualTo("POST");
        assertThat(opened.path()).isEqualTo("/hooks");
        assertThat(opened.headers()).containsEntry("content-type", "application/json")
                .containsEntry("webhook-id", key + ":opened");
        assertThat(resolved.headers()).containsEntry("webhook-id", key + ":resolved");
        for (Request request : requests) {
            long timestamp = Long.parseLong(request.headers().get("webhook-timestamp"));
            assertThat(timestamp).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
            assertThat(request.headers().get("webhook-signature"))
                    .isEqualTo("v1," + hmac(request.headers().get("webhook-id") + "." + timestamp + "." + request.body()));
        }
        JsonObject openedBody = new JsonObject(opened.body());
        assertThat(openedBody.getString("type")).isEqualTo("incident.opened");
        assertThat(openedBody.getString("dedupKey")).isEqualTo(key);
        JsonObject incident = openedBody.getJsonObject("incident");
        assertThat(incident.getString("key")).isEqualTo(key);
        assertThat(incident.getString("id")).isEqualTo("check%2Fedge-1%2Fweb%40" + (start + 20_000));
        assertThat(incident.getString("kind")).isEqualTo("outage");
        assertThat(incident.getString("title")).isEqualTo("edge-1/web is down");
        assertThat(incident.getJsonArray("checks").encode()).isEqualTo("[{\"agent\":\"edge-1\",\"check\":\"web\"}]");
        assertThat(incident.getString("status")).isEqualTo("open");
        assertThat(incident.getString("startedAt")).isEqualTo(Instant.ofEpochMilli(start + 20_000).toString());
        assertThat(incident.getString("resolvedAt")).isNull();
        assertThat(incident.getString("detail")).isEqualTo("STATUS_MISMATCH: expected 2xx, got 503 (edge-1/web)");
        JsonObject resolvedIncident = new JsonObject(resolved.body()).getJsonObject("incident");
        assertThat(new JsonObject(resolved.body()).getString("type")).isEqualTo("incident.resolved");
        assertThat(resolvedIncident.getString("status")).isEqualTo("resolved");
        assertThat(resolvedIncident.getString("resolvedAt")).isEqualTo(Instant.ofEpochMilli(start + 80_000).toString());
        assertThat(resolvedIncident.getDouble("durationSeconds")).isEqualTo(60.0);

        JsonArray incidents = agent.getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        JsonObject shown = incidents.getJsonObject(0);
        assertThat(shown.getString("status")).isEqualTo("resolved");
        assertThat(deliveries(shown)).isEqualTo(new JsonArray()
                .add(delivery("opened", "delivered", 1, null))
                .add(delivery("resolved", "delivered", 1, null)).encode());
        assertThat(agent.metric("vigil_incidents_opened_total")).isEqualTo(1.0);
        assertThat(agent.metric("vigil_incidents_open{kind=\"outage\",priority=\"P2\"}")).isEqualTo(0.0);
        assertThat(agent.metric("vigil_incident_deliveries_total{result=\"delivered\",sink=\"ops\"}")).isEqualTo(2.0);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {503, 429, 408, 425})
    void retriesATransientStatusWithTheSameWebhookIdUntilDelivered(int status) {
        receiver.failNext(2, status);

        agent.ship(records("api", "FF", 0, start, 10_000));

        await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        List<Request> requests = receiver.requests();
        assertThat(requests).extracting(Request::status).containsExactly(status, status, 200);
        assertThat(requests).extracting(r -> r.headers().get("webhook-id")).containsOnly("check/edge-1/api@" + start + ":opened");
        assertThat(requests).extracting(Request::body).containsOnly(requests.get(0).body());
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(onlyIncident()))
                .isEqualTo(new JsonArray().add(delivery("opened", "delivered", 3, "HTTP " + status + ": {\"error\":\"scripted failure\"}")).encode()));
        assertThat(agent.metric("vigil_incident_deliveries_total{result=\"retried\",sink=\"ops\"}")).isEqualTo(2.0);
    }

    @Test
    void failsA400ForGoodWithoutRetryingAndNeverSendsItsResolution() {
        receiver.failNext(1, 400);

        agent.ship(records("db", "FF", 0, start, 10_000));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(onlyIncident().getJsonArray("deliveries").getJsonObject(0)
                .getString("state")).isEqualTo("failed"));
        agent.ship(records("db", "SS", 2, start + 20_000, 10_000));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(onlyIncident()))
                .isEqualTo(new JsonArray()
                        .add(delivery("opened", "failed", 1, "HTTP 400: {\"error\":\"scripted failure\"}"))
                        .add(delivery("resolved", "failed", 0, "not sent: the opening was not delivered"))
                        .encode()));
        assertThat(receiver.requests()).hasSize(1);
        assertThat(agent.metric("vigil_incident_deliveries_total{result=\"failed\",sink=\"ops\"}")).isEqualTo(2.0);
        assertThat(agent.metric("vigil_incident_deliveries_total{result=\"retried\",sink=\"ops\"}")).isEqualTo(0.0);
    }

    private JsonObject onlyIncident() {
        JsonArray incidents = agent.getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        return incidents.getJsonObject(0);
    }

    static JsonObject delivery(String event, String state, int attempts, String lastError) {
        return new JsonObject().put("sink", "ops").put("event", event).put("state", state)
                .put("attempts", attempts).put("lastError", lastError);
    }

    /** The incident's deliveries without their event ids, which the tests check through the webhook-id header. */
    static String deliveries(JsonObject incident) {
        JsonArray deliveries = new JsonArray();
        for (Object item : incident.getJsonArray("deliveries")) {
            JsonObject delivery = ((JsonObject) item).copy();
            delivery.remove("eventId");
            deliveries.add(delivery);
        }
        return deliveries.encode();
    }

    private static String hmac(String signed) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
