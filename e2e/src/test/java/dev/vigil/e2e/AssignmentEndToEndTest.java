package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.Agent;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.collector.Collector;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.journal.JournalEntry;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.prometheus.Promtool;
import dev.vigil.testsupport.target.StatusHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collector assigning checks to a real agent, both in this JVM: the agent probes what it is
 * assigned, keeps probing while the collector is away, restarts from its cached copy while the collector
 * is still away, follows a changed assignment without disturbing the checks that did not change, and
 * refuses an assignment it cannot run while the previous one runs on.
 */
class AssignmentEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long INTERVAL_MILLIS = 500;
    private static final Pattern VERSION_INFO = Pattern.compile("vigil_agent_assignment_info\\{version=\"([0-9a-f]+)\"}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private StatusHttpServer web;
    private StatusHttpServer db;
    private StatusHttpServer cache;
    private int collectorPort;
    private Collector collector;
    private Agent agent;

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (collector != null) {
            collector.close();
        }
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void theAgentRunsItsAssignmentThroughCollectorOutagesRestartsChangesAndABadDocument() throws Exception {
        web = started(StatusHttpServer.healthy());
        db = started(StatusHttpServer.healthy());
        cache = started(StatusHttpServer.healthy());
        collectorPort = freePort();
        String webCheck = check("web", "http", "url: " + web.url("/health"));
        String dbCheck = check("db", "tcp", "target: 127.0.0.1:" + db.port());
        String cacheCheck = check("cache", "tcp", "target: 127.0.0.1:" + cache.port());

        // The collector assigns web and db; the agent also has a local check of its own.
        collector = startCollector(webCheck + dbCheck);
        agent = startAgent();
        awaitProbes("web", 3);
        awaitProbes("db", 3);
        awaitProbes("self", 1);
        String firstVersion = appliedVersion().orElseThrow();
        assertThat(Files.readString(dir.resolve("agent-data/assignments.json"))).contains(firstVersion);
        assertThat(Files.getPosixFilePermissions(dir.resolve("agent-data/assignments.json")))
                .as("the cache may hold secrets of the checks").isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // The collector goes away: the agent keeps probing what it was assigned, and counts failed polls.
        collector.close();
        collector = null;
        long webBeforeOutage = probes("web");
        awaitProbes("web", webBeforeOutage + 4);
        await("failed polls counted").atMost(DEADLINE)
                .until(() -> metric("vigil_agent_assignment_polls_failed_total") >= 1);

        // The agent restarts with the collector still away: the cached assignment runs at once.
        agent.close();
        agent = startAgent();
        long restartedAtMillis = System.currentTimeMillis();
        assertThat(appliedVersion()).as("applied from the cache before any poll").contains(firstVersion);
        assertThat(metric("vigil_agent_assignment_last_poll_success_timestamp_seconds")).isZero();
        awaitProbes("web", 3);
        awaitProbes("db", 3);

        // The collector returns with db removed and cache added; web is unchanged.
        collector = startCollector(webCheck + cacheCheck);
        await("the new assignment to be applied").atMost(DEADLINE)
                .until(() -> appliedVersion().filter(version -> !version.equals(firstVersion)).isPresent());
        String secondVersion = appliedVersion().orElseThrow();
        long changedAtMillis = System.currentTimeMillis();
        awaitProbes("cache", 3);
        long dbAtChange = probes("db");
        long webAtChange = probes("web");
        awaitProbes("web", webAtChange + 4);
        assertThat(probes("db")).as("db stopped; at most a run in flight finished").isLessThanOrEqualTo(dbAtChange + 1);
        assertThat(metric("vigil_agent_assignment_checks")).isEqualTo(2);

        // A document the agent cannot run (a file the collector cannot see, missing on the agent) is refused.
        collector.close();
        collector = startCollector(webCheck + cacheCheck + check("cert", "tls",
                "target: 127.0.0.1:" + web.port() + "\n    tls: {ca_file: " + dir.resolve("missing-ca.pem") + "}"));
        await("the bad document to be refused").atMost(DEADLINE)
                .until(() -> metric("vigil_agent_assignment_documents_rejected_total") >= 1);
        assertThat(appliedVersion()).contains(secondVersion);
        assertThat(Files.readString(dir.resolve("agent-data/assignments.json"))).contains(secondVersion)
                .doesNotContain("missing-ca.pem");
        long webAtRefusal = probes("web");
        long cacheAtRefusal = probes("cache");
        awaitProbes("web", webAtRefusal + 3);
        awaitProbes("cache", cacheAtRefusal + 3);
        assertThat(probes("cert")).isZero();
        assertThat(metric("vigil_agent_assignment_documents_rejected_total")).as("once per version").isEqualTo(1);
        Promtool.Result lint = Promtool.checkMetrics(metricsText());
        assertThat(lint.clean()).as("%s:\n%s", lint.command(), lint.output()).isTrue();

        // Every web sample of the restarted agent, through the change, is on its grid: none missed, none doubled.
        long windowEndMillis = changedAtMillis + 3 * INTERVAL_MILLIS;
        await("web's samples up to the window's end to reach the collector").atMost(DEADLINE)
                .until(() -> lastSampleMillis("web") >= windowEndMillis);
        agent.close();
        agent = null;
        collector.close();
        collector = null;
        List<Long> slots = webSlots(restartedAtMillis, windowEndMillis);
        assertThat(slots).hasSizeGreaterThanOrEqualTo(6);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 1)).as("web slot %d after the previous", i)
                    .isEqualTo(INTERVAL_MILLIS);
        }
    }

    private static String check(String id, String type, String fields) {
        return """
                  - id: %s
                    type: %s
                    %s
                    interval: %dms
                    timeout: 300ms
                    agents: [edge-1]
                """.formatted(id, type, fields, INTERVAL_MILLIS);
    }

    private Collector startCollector(String checks) throws IOException {
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, """
                listen: 127.0.0.1:%d
                data_dir: collector-data
                agents:
                  - name: edge-1
                    token: e2e-assignments
                checks:
                %s""".formatted(collectorPort, checks), StandardCharsets.UTF_8);
        return Collector.start(CollectorConfig.load(file), InstantSource.system());
    }

    private Agent startAgent() throws IOException {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, """
                agent:
                  name: edge-1
                collector:
                  url: http://127.0.0.1:%d
                  token: e2e-assignments
                  assignments:
                    poll_interval: 1s
                data_dir: agent-data
                listen: 127.0.0.1:0
                checks:
                  - id: self
                    type: tcp
                    target: 127.0.0.1:%d
                    interval: 1s
                """.formatted(collectorPort, web.port()), StandardCharsets.UTF_8);
        return Agent.start(AgentConfig.load(file));
    }

    private void awaitProbes(String checkId, long atLeast) {
        await(checkId + " probed " + atLeast + " times").atMost(DEADLINE).until(() -> probes(checkId) >= atLeast);
    }

    private long probes(String checkId) throws IOException, InterruptedException {
        return (long) metric("vigil_agent_probes_total{check=\"" + checkId + "\",outcome=\"ok\"}");
    }

    private double metric(String series) throws IOException, InterruptedException {
        for (String line : metricsText().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    private Optional<String> appliedVersion() throws IOException, InterruptedException {
        Matcher matcher = VERSION_INFO.matcher(metricsText());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private String metricsText() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + agent.httpAddress().getPort() + "/metrics");
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The scheduled time of the last sample of {@code checkId} the collector has, or 0. */
    private long lastSampleMillis(String checkId) throws IOException, InterruptedException {
        URI uri = collector.baseUri().resolve("/api/v1/checks");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return 0;
        }
        for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
            if (check.path("agent").asText().equals("edge-1") && check.path("check").asText().equals(checkId)) {
                return Instant.parse(check.path("lastSampleAt").asText()).toEpochMilli();
            }
        }
        return 0;
    }

    /** The scheduled times of web's successful samples in {@code [from, to]}, from the collector's journal. */
    private List<Long> webSlots(long fromMillis, long toMillis) {
        List<Long> slots = new ArrayList<>();
        try (CollectorJournal journal = CollectorJournal.open(dir.resolve("collector-data/journal"))) {
            CollectorJournal.Replay replay = CollectorJournal.Replay.of(entry -> collect(entry, fromMillis, toMillis,
                    slots), gap -> { });
            int read;
            do {
                read = journal.replay(10_000, replay);
            } while (read > 0);
        }
        slots.sort(null);
        return slots;
    }

    private static void collect(JournalEntry entry, long fromMillis, long toMillis, List<Long> slots) {
        long slot = entry.sample().scheduledEpochMillis();
        if (entry.agent().equals("edge-1") && entry.sample().checkId().equals("web")
                && entry.sample().outcome() == Outcome.OK && slot >= fromMillis && slot <= toMillis) {
            slots.add(slot);
        }
    }

    private <T extends AutoCloseable> T started(T closeable) {
        running.add(closeable);
        return closeable;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
