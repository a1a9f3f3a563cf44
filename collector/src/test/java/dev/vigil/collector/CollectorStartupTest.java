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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorStartupTest {
    private static final int ENTRIES = 100_000;

    @TempDir
    Path dir;

    @Test
    void answersStartingAndRefusesIngestUntilTheJournalIsReplayed() throws Exception {
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
                """.formatted(port), name -> null, dir);
        TestAgent agent = new TestAgent(URI.create("http://127.0.0.1:" + port), "edge-token");

        CompletableFuture<Collector> starting = CompletableFuture.supplyAsync(() -> Collector.start(config,
                InstantSource.system()));
        List<String> health = new ArrayList<>();
        int ingestWhileStarting = 0;
        HttpResponse<byte[]> metricsWhileStarting = null;
        while (!starting.isDone()) {
            try {
                // Asked before /healthz: if health still says starting afterwards, this scrape was
                // answered during the replay (the collector never goes back to starting).
                HttpResponse<byte[]> metrics = agent.get("/metrics");
                HttpResponse<byte[]> response = agent.get("/healthz");
                if (response.statusCode() == 503 && metricsWhileStarting == null) {
                    metricsWhileStarting = metrics;
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
            assertThat(new String(metricsWhileStarting.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"error\":\"the collector is replaying its journal; retry shortly\"}");
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
