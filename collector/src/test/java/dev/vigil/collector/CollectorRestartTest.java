package dev.vigil.collector;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Ack;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart replays the journal: same incidents, same dedup marks, nothing delivered twice. */
class CollectorRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    RecordingWebhookReceiver receiver;
    long start;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = RecordingWebhookReceiver.start();
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void restartingInTheMiddleOfAnOutageNeitherOpensASecondIncidentNorResendsTheDeliveredOne() {
        String key = "edge-1/web@" + (start + 20_000);
        JsonObject before;
        try (Collector first = Collector.start(config(receiver.url("/hooks")), InstantSource.system())) {
            TestAgent agent = new TestAgent(first.baseUri(), "edge-token");
            agent.ship(records("web", "SSFF", 0, start, 10_000));
            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
            before = onlyIncident(agent);
        }

        try (Collector second = Collector.start(config(receiver.url("/hooks")), InstantSource.system())) {
            TestAgent agent = new TestAgent(second.baseUri(), "edge-token");
            JsonObject after = onlyIncident(agent);
            assertThat(after.getString("key")).isEqualTo(key);
            assertThat(after.getString("status")).isEqualTo("open");
            assertThat(after.getString("detectedAt")).isEqualTo(before.getString("detectedAt"));
            assertThat(after.getJsonArray("deliveries").getJsonObject(0).getString("state")).isEqualTo("delivered");
            assertThat(check(agent).getString("state")).isEqualTo("down");
            // The agent never saw the ack and sends the batch again: the replayed marks recognise it.
            assertThat(agent.ship(records("web", "SSFF", 0, start, 10_000))).isEqualTo(new Ack(3, 0, 4));

            agent.ship(records("web", "FSS", 4, start + 40_000, 10_000));

            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 2);
            assertThat(receiver.requests()).extracting(r -> r.headers().get("webhook-id"))
                    .containsExactly(key + ":opened", key + ":resolved");
            assertThat(onlyIncident(agent).getString("status")).isEqualTo("resolved");
            assertThat(check(agent).getLong("samples")).isEqualTo(7);
            assertThat(agent.metric("vigil_incidents_opened_total")).isEqualTo(1.0);
        }
    }

    @Test
    void sendsAnEventLeftUndeliveredByTheLastRunOnceTheReplayHasFinished() throws IOException {
        RecordingWebhookReceiver gone = RecordingWebhookReceiver.start();
        URI unreachable = gone.url("/hooks");
        gone.close();
        try (Collector first = Collector.start(config(unreachable), InstantSource.system())) {
            TestAgent agent = new TestAgent(first.baseUri(), "edge-token");
            agent.ship(records("web", "FF", 0, start, 10_000));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(onlyIncident(agent).getJsonArray("deliveries")
                    .getJsonObject(0).getInteger("attempts")).isGreaterThanOrEqualTo(1));
        }

        try (Collector second = Collector.start(config(receiver.url("/hooks")), InstantSource.system())) {
            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
            Request opened = receiver.requests().get(0);
            assertThat(opened.headers()).containsEntry("webhook-id", "edge-1/web@" + start + ":opened");
            TestAgent agent = new TestAgent(second.baseUri(), "edge-token");
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(onlyIncident(agent).getJsonArray("deliveries")
                    .getJsonObject(0).getString("state")).isEqualTo("delivered"));
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    private CollectorConfig config(URI webhook) {
        return CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                webhooks:
                  - name: ops
                    url: %s
                    timeout: 1s
                """.formatted(webhook), name -> null, dir);
    }

    private static JsonObject onlyIncident(TestAgent agent) {
        JsonArray incidents = agent.getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        return incidents.getJsonObject(0);
    }

    private static JsonObject check(TestAgent agent) {
        return agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(0);
    }
}
