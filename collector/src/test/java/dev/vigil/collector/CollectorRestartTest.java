package dev.vigil.collector;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.config.CollectorConfig;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.Rejection;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
        String key = "check/edge-1/web@" + (start + 20_000);
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
            assertThat(agent.ship(records("web", "SSFF", 0, start, 10_000))).isEqualTo(new Ack(TestAgent.EPOCH, 3, -1, 0, 4, List.of()));

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
            assertThat(opened.headers()).containsEntry("webhook-id", "check/edge-1/web@" + start + ":opened");
            TestAgent agent = new TestAgent(second.baseUri(), "edge-token");
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(onlyIncident(agent).getJsonArray("deliveries")
                    .getJsonObject(0).getString("state")).isEqualTo("delivered"));
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void keepsOutOfOrderAndMisdatedSamplesOutOfTheChecksBothLiveAndOnReplay() {
        long now = System.currentTimeMillis();
        String key = "check/edge-1/web@" + (start + 100_000);
        List<SampleRecord> batch = new ArrayList<>(records("web", "FF", 0, start + 100_000, 10_000));
        // The agent's clock stepped back: two successes stamped before the outage began.
        batch.addAll(records("web", "SS", 2, start, 10_000));
        batch.addAll(records("web", "S", 4, now + 3_600_000, 0));
        batch.addAll(records("web", "S", 5, Long.MIN_VALUE, 0));
        try (Collector first = Collector.start(config(receiver.url("/hooks")), InstantSource.system())) {
            TestAgent agent = new TestAgent(first.baseUri(), "edge-token");

            Ack ack = agent.ship(batch);

            // Misdated samples are refused for good and listed in the ack; the ack still covers them.
            assertThat(ack.ackedIndex()).isEqualTo(5);
            assertThat(ack.accepted()).isEqualTo(4);
            assertThat(ack.rejections()).extracting(Rejection::journalIndex, Rejection::reason)
                    .containsExactly(tuple(4L, RejectionReason.FUTURE), tuple(5L, RejectionReason.TOO_OLD));
            assertThat(ack.rejections().get(0).message()).contains("ahead of the collector's clock");
            assertThat(check(agent).getString("state")).isEqualTo("down");
            assertThat(check(agent).getLong("samples")).isEqualTo(2);
            assertThat(onlyIncident(agent).getString("key")).isEqualTo(key);
            assertThat(agent.metric(unapplied("out_of_order"))).isEqualTo(2.0);
            assertThat(agent.metric("vigil_ingest_records_rejected_total{agent=\"edge-1\",reason=\"future\"}"))
                    .isEqualTo(1.0);
            assertThat(agent.metric("vigil_ingest_records_rejected_total{agent=\"edge-1\",reason=\"too_old\"}"))
                    .isEqualTo(1.0);
            assertThat(agent.metric("vigil_ingest_samples_total{agent=\"edge-1\"}")).isEqualTo(4.0);
            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        }

        try (Collector second = Collector.start(config(receiver.url("/hooks")), InstantSource.system())) {
            TestAgent agent = new TestAgent(second.baseUri(), "edge-token");
            assertThat(check(agent).getString("state")).isEqualTo("down");
            assertThat(check(agent).getLong("samples")).isEqualTo(2);
            assertThat(onlyIncident(agent).getString("status")).isEqualTo("open");
            // The counter counts what this process received, like the other ingest counters.
            assertThat(agent.metric(unapplied("out_of_order"))).isEqualTo(0.0);

            agent.ship(records("web", "SS", 6, start + 120_000, 10_000));

            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 2);
            assertThat(receiver.requests()).extracting(r -> r.headers().get("webhook-id"))
                    .containsExactly(key + ":opened", key + ":resolved");
            assertThat(onlyIncident(agent).getString("resolvedAt"))
                    .isEqualTo(Instant.ofEpochMilli(start + 120_000).toString());
        }
    }

    @Test
    void warnsAboutADeliveredIncidentTheReplayNoLongerOpensAfterTheThresholdWasRaised() {
        String key = "check/edge-1/web@" + (start + 20_000);
        try (Collector first = Collector.start(config(receiver.url("/hooks"), 2), InstantSource.system())) {
            new TestAgent(first.baseUri(), "edge-token").ship(records("web", "SSFF", 0, start, 10_000));
            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() == 1);
        }
        // A snapshot keeps the history as it was computed, so a threshold change alone would not
        // rewrite it; the outage disappears only when the state is rebuilt from the journal alone, as
        // after losing the snapshots, which is what this test is about.
        deleteRecursively(dir.resolve("data/snapshots"));
        Logger outboxLogger = (Logger) LoggerFactory.getLogger(Outbox.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        outboxLogger.addAppender(logged);
        try (Collector second = Collector.start(config(receiver.url("/hooks"), 3), InstantSource.system())) {
            TestAgent agent = new TestAgent(second.baseUri(), "edge-token");

            assertThat(agent.getJson("/api/v1/incidents").getJsonArray("incidents")).isEmpty();
            assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Incident " + key + " was delivered to sink ops as opened, but the replayed "
                            + "journal no longer contains it (were the state thresholds changed?): its resolution "
                            + "will never be sent; resolve it by hand in the receiving tool");
        } finally {
            outboxLogger.detachAppender(logged);
        }
        assertThat(receiver.requests()).hasSize(1);
    }

    private static String unapplied(String reason) {
        return "vigil_ingest_samples_unapplied_total{agent=\"edge-1\",reason=\"" + reason + "\"}";
    }

    private CollectorConfig config(URI webhook) {
        return config(webhook, 2);
    }

    private CollectorConfig config(URI webhook, int failuresToOpen) {
        return CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                state:
                  failures_to_open: %d
                webhooks:
                  - name: ops
                    url: %s
                    timeout: 1s
                incidents:
                  egress:
                    allow: ["127.0.0.0/8"]
                """.formatted(failuresToOpen, webhook), name -> null, dir);
    }

    private static JsonObject onlyIncident(TestAgent agent) {
        JsonArray incidents = agent.getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        return incidents.getJsonObject(0);
    }

    private static JsonObject check(TestAgent agent) {
        return agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(0);
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
