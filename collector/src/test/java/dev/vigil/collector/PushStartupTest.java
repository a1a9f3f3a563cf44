package dev.vigil.collector;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.journal.CollectorJournal;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samples from elsewhere wait for the replay like agents' batches: 503 with Retry-After, nothing taken. */
class PushStartupTest {
    private static final int ENTRIES = 100_000;
    private static final String REPLAYING = "{\"error\":\"the collector is replaying its journal; retry shortly\"}";

    @TempDir
    Path dir;

    @Test
    void refusesPostedSamplesAndHeartbeatsWith503UntilTheJournalIsReplayed() throws Exception {
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
                  - name: tool
                    token: tool-token
                  - name: edge-1
                    token: edge-token
                heartbeats:
                  - id: nightly-backup
                    period: 24h
                    token: backup-token
                """.formatted(port), name -> null, dir);
        URI base = URI.create("http://127.0.0.1:" + port);
        TestAgent client = new TestAgent(base, "tool-token");
        String body = "{\"samples\": [{\"check\": \"api\", \"time\": \"" + Instant.now() + "\", \"success\": false}]}";

        CompletableFuture<Collector> starting = CompletableFuture.supplyAsync(() -> Collector.start(config,
                InstantSource.system()));
        HttpResponse<byte[]> samplesWhileStarting = null;
        HttpResponse<byte[]> heartbeatWhileStarting = null;
        while (!starting.isDone() && (samplesWhileStarting == null || heartbeatWhileStarting == null)) {
            try {
                HttpResponse<byte[]> samples = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/samples"))
                        .header("Authorization", "Bearer tool-token").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                HttpResponse<byte[]> heartbeat = client.send(HttpRequest.newBuilder(
                        base.resolve("/api/v1/heartbeat/nightly-backup")).header("Authorization", "Bearer backup-token")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                // Asked after both: if health still says starting, both were answered during the replay.
                if (client.get("/healthz").statusCode() == 503) {
                    samplesWhileStarting = samples;
                    heartbeatWhileStarting = heartbeat;
                }
            } catch (UncheckedIOException notListeningYet) {
                Thread.onSpinWait();
            }
        }

        try (Collector collector = starting.get(1, TimeUnit.MINUTES)) {
            assertThat(collector.port()).isEqualTo(port);
            assertThat(samplesWhileStarting).isNotNull();
            assertThat(samplesWhileStarting.statusCode()).isEqualTo(503);
            assertThat(samplesWhileStarting.headers().firstValue("Retry-After")).contains("1");
            assertThat(new String(samplesWhileStarting.body(), StandardCharsets.UTF_8)).isEqualTo(REPLAYING);
            assertThat(heartbeatWhileStarting.statusCode()).isEqualTo(503);
            assertThat(heartbeatWhileStarting.headers().firstValue("Retry-After")).contains("1");
            assertThat(new String(heartbeatWhileStarting.body(), StandardCharsets.UTF_8)).isEqualTo(REPLAYING);
            assertThat(client.metric("vigil_ingest_rejected_total{reason=\"replaying\"}")).isGreaterThanOrEqualTo(2.0);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
