package dev.vigil.collector;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.SampleRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the journal replays, the collector answers: health says starting, and ingest, /metrics, posted
 * samples and heartbeats get 503 with Retry-After, nothing taken.
 */
class CollectorStartupTest {
    private static final int ENTRIES = 100_000;
    private static final String REPLAYING = "{\"error\":\"the collector is replaying its journal; retry shortly\"}";

    @TempDir
    Path dir;

    @Test
    void answersStartingAndRefusesIngestSamplesAndHeartbeatsUntilTheJournalIsReplayed() throws Exception {
        long start = System.currentTimeMillis() - ENTRIES * 1000L;
        try (CollectorJournal journal = CollectorJournal.open(dir.resolve("data/journal"))) {
            for (SampleRecord record : records("web", "SSSSSSSSSF".repeat(ENTRIES / 10), 0, start, 1_000)) {
                journal.append("edge-1", TestAgent.EPOCH, record.journalIndex(), record.sample().scheduledEpochMillis(),
                        record.sample());
            }
        }
        int port = freePort();
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:%d
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                  - name: tool
                    token: tool-token
                heartbeats:
                  - id: nightly-backup
                    period: 24h
                    token: backup-token
                """.formatted(port), name -> null, dir);
        URI base = URI.create("http://127.0.0.1:" + port);
        TestAgent agent = new TestAgent(base, "edge-token");
        String samples = "{\"samples\": [{\"check\": \"api\", \"time\": \"" + Instant.now()
                + "\", \"success\": false}]}";

        CompletableFuture<Collector> starting = CompletableFuture.supplyAsync(() -> Collector.start(config,
                InstantSource.system()));
        List<String> health = new ArrayList<>();
        int ingestWhileStarting = 0;
        HttpResponse<byte[]> metricsWhileStarting = null;
        HttpResponse<byte[]> samplesWhileStarting = null;
        HttpResponse<byte[]> heartbeatWhileStarting = null;
        while (!starting.isDone()) {
            try {
                // Asked before /healthz: if health still says starting afterwards, this scrape was
                // answered during the replay (the collector never goes back to starting).
                HttpResponse<byte[]> metrics = agent.get("/metrics");
                HttpResponse<byte[]> posted = agent.send(HttpRequest.newBuilder(base.resolve("/api/v1/samples"))
                        .header("Authorization", "Bearer tool-token").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(samples)).build());
                HttpResponse<byte[]> heartbeat = agent.send(HttpRequest.newBuilder(
                        base.resolve("/api/v1/heartbeat/nightly-backup")).header("Authorization", "Bearer backup-token")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                HttpResponse<byte[]> response = agent.get("/healthz");
                if (response.statusCode() == 503 && metricsWhileStarting == null) {
                    metricsWhileStarting = metrics;
                    samplesWhileStarting = posted;
                    heartbeatWhileStarting = heartbeat;
                }
                health.add(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
                if (response.statusCode() == 503 && ingestWhileStarting == 0) {
                    ingestWhileStarting = agent.post(TestAgent.batch(List.of()), BatchCodec.MEDIA_TYPE, "edge-token")
                            .statusCode();
                }
            } catch (UncheckedIOException notListeningYet) {
                Thread.onSpinWait();
            }
        }

        try (Collector collector = starting.get(1, TimeUnit.MINUTES)) {
            assertThat(health).contains("503 {\"status\":\"starting\"}");
            // Starting, then ready, never back.
            assertThat(health.subList(health.indexOf("503 {\"status\":\"starting\"}"), health.size()))
                    .isSortedAccordingTo((a, b) -> b.compareTo(a));
            assertThat(ingestWhileStarting).isEqualTo(503);
            assertThat(metricsWhileStarting).isNotNull();
            assertThat(metricsWhileStarting.statusCode()).isEqualTo(503);
            assertThat(metricsWhileStarting.headers().firstValue("Retry-After")).contains("1");
            assertThat(new String(metricsWhileStarting.body(), StandardCharsets.UTF_8)).isEqualTo(REPLAYING);
            for (HttpResponse<byte[]> pushed : List.of(samplesWhileStarting, heartbeatWhileStarting)) {
                assertThat(pushed.statusCode()).isEqualTo(503);
                assertThat(pushed.headers().firstValue("Retry-After")).contains("1");
                assertThat(new String(pushed.body(), StandardCharsets.UTF_8)).isEqualTo(REPLAYING);
            }
            assertThat(agent.metric("vigil_ingest_rejected_total{reason=\"replaying\"}")).isGreaterThanOrEqualTo(3.0);
            assertThat(agent.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(agent.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(agent.getJson("/api/v1/checks").getJsonArray("checks").getJsonObject(0).getLong("samples"))
                    .isEqualTo(ENTRIES);
            assertThat(agent.ship(List.of())).isEqualTo(new Ack(TestAgent.EPOCH, ENTRIES - 1, -1, 0, 0, List.of()));
            assertThat(collector.port()).isEqualTo(port);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
