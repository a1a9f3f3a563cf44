package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.ingest.FakeIngestServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.StatusHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeIngestServer ingest;
    private StatusHttpServer target;

    @BeforeEach
    void startPeers() {
        ingest = FakeIngestServer.start("s3cret");
        target = StatusHttpServer.healthy();
    }

    @AfterEach
    void stopPeers() {
        target.close();
        ingest.close();
    }

    private AgentConfig config() {
        String yaml = """
                agent:
                  name: test-agent
                  location: lab
                collector:
                  url: %s
                  token: ${TOKEN}
                  batch_size: 50
                listen: 127.0.0.1:0
                checks:
                  - id: web
                    type: http
                    url: %s
                    interval: 200ms
                  - id: db
                    type: tcp
                    target: 127.0.0.1:%d
                    interval: 200ms
                    timeout: 150ms
                """.formatted(ingest.url(), target.url("/health"), ClosedPort.find());
        return AgentConfig.parse("agent.yaml", yaml, Map.of("TOKEN", "s3cret")::get, Path.of("/"))
                .withDataDir(dataDir);
    }

    private HttpResponse<String> get(Agent agent, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agent.httpAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long held(String checkId, Outcome outcome) {
        return ingest.held().stream()
                .map(SampleRecord::sample)
                .filter(sample -> sample.checkId().equals(checkId) && sample.outcome() == outcome)
                .count();
    }

    @Test
    void probesJournalsAndShipsEveryCheckAndServesMetricsAndHealth() throws Exception {
        try (Agent agent = Agent.start(config())) {
            await().atMost(DEADLINE).until(() -> held("web", Outcome.OK) >= 3 && held("db", Outcome.CONNECT_REFUSED) >= 3);

            HttpResponse<String> metrics = get(agent, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body())
                    .contains("vigil_agent_samples_journaled_total ")
                    .contains("vigil_agent_samples_acked_total ")
                    .contains("vigil_agent_probes_total{check=\"web\",outcome=\"ok\"} ")
                    .contains("vigil_agent_probes_total{check=\"db\",outcome=\"connect_refused\"} ")
                    .contains("vigil_agent_probe_duration_seconds_bucket{check=\"web\",le=\"0.005\"} ")
                    .contains("vigil_agent_ship_failures_total 0")
                    .doesNotContain("vigil_agent_samples_rejected_as_duplicate_total")
                    .contains("vigil_agent_samples_rejected_total{reason=\"invalid\"} 0")
                    .contains("vigil_agent_samples_dropped_total{reason=\"disk_budget\"} 0")
                    .contains("vigil_agent_samples_dropped_total{reason=\"journal_queue_full\"} 0")
                    .contains("vigil_agent_journal_backlog_samples ")
                    .contains("vigil_agent_journal_oldest_unacked_age_seconds ")
                    .contains("vigil_agent_journal_bytes ")
                    .contains("vigil_agent_journal_created_timestamp_seconds ")
                    .contains("vigil_agent_info{agent=\"test-agent\",location=\"lab\"} 1")
                    .contains("jvm_memory_used_bytes");

            HttpResponse<String> health = get(agent, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).matches("\\{\"status\":\"ok\",\"agent\":\"test-agent\",\"journalBacklog\":\\d+}");

            assertThat(get(agent, "/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shipsTheEvidenceOfAFailingCheckWithItsFirstFailureOnly() {
        try (Agent agent = Agent.start(config())) {
            await().atMost(DEADLINE)
                    .until(() -> held("db", Outcome.CONNECT_REFUSED) >= 3 && held("web", Outcome.OK) >= 3);
        }
        List<Sample> db = ingest.held().stream().map(SampleRecord::sample)
                .filter(sample -> sample.checkId().equals("db"))
                .sorted(Comparator.comparingLong(Sample::scheduledEpochMillis)).toList();
        Evidence first = db.get(0).evidence().orElseThrow();
        assertThat(first.remoteAddress()).startsWith("127.0.0.1:");
        assertThat(first.error()).startsWith(db.get(0).detail()).contains("Connection refused");
        assertThat(db.subList(1, db.size())).as("the same failure again within evidence.every (5m)")
                .allMatch(sample -> sample.evidence().isEmpty());
        assertThat(ingest.held()).map(SampleRecord::sample).filteredOn(sample -> sample.checkId().equals("web"))
                .as("successful runs").allMatch(sample -> sample.evidence().isEmpty());
    }

    @Test
    void continuesTheJournalAfterARestartWithoutResendingAnythingAcked() {
        long ackedBefore;
        try (Agent agent = Agent.start(config())) {
            await().atMost(DEADLINE).until(() -> agent.ackedIndex() >= 0 && ingest.held().size() >= 4);
            ackedBefore = agent.ackedIndex();
        }
        int heldBefore = ingest.held().size();
        int receivedBefore = ingest.received().size();
        try (Agent agent = Agent.start(config())) {
            await().atMost(DEADLINE)
                    .until(() -> ingest.held().size() >= heldBefore + 4 && agent.ackedIndex() > ackedBefore);
        }
        List<SampleRecord> received = ingest.received();
        assertThat(received.subList(0, receivedBefore)).as("shipped in journal order")
                .extracting(SampleRecord::journalIndex).isSorted();
        // A batch in flight when the first agent closed may come again (the collector recognises it);
        // nothing the first agent saw acked may.
        assertThat(received.subList(receivedBefore, received.size())).as("after the restart")
                .extracting(SampleRecord::journalIndex).isSorted().allMatch(index -> index > ackedBefore);
    }
}
