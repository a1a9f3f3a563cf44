package dev.vigil.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.Agent;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.dns.ClosedUdpPort;
import dev.vigil.testsupport.ingest.FakeIngestServer;
import dev.vigil.testsupport.prometheus.Promtool;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.StatusHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's {@code /metrics} with HTTP, TCP, DNS and host checks running: promtool accepts it, every
 * {@code vigil_*} family is documented in {@code docs/metrics.md}, and its labels come from a bounded set.
 */
class AgentMetricsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Set<String> BOUNDED_LABELS = Set.of("agent", "location", "check", "outcome", "reason",
            "version", "le", "module", "success");
    private static final Pattern FAMILY = Pattern.compile("^# TYPE (vigil_[a-z0-9_]+) ([a-z]+)$", Pattern.MULTILINE);
    private static final Pattern LABEL_NAME = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");

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

    @Test
    void servesMetricsPromtoolAcceptsWithDocumentedFamiliesAndBoundedLabelsForEveryProbeType() throws Exception {
        try (Agent agent = Agent.start(config())) {
            await().atMost(DEADLINE).until(() -> Set.of("web", "db", "dns", "host").stream().allMatch(check ->
                    ingest.held().stream().map(SampleRecord::sample).anyMatch(s -> s.checkId().equals(check))));
            String text = get(agent, "/metrics").body();

            Promtool.Result lint = Promtool.checkMetrics(text);
            assertThat(lint.clean()).as("%s:\n%s", lint.command(), lint.output()).isTrue();
            assertThat(text).contains(
                    "# TYPE vigil_agent_probe_duration_seconds histogram",
                    "vigil_agent_probe_duration_seconds_count{check=\"web\"}",
                    "vigil_agent_probe_duration_seconds_count{check=\"dns\"}",
                    "vigil_agent_probe_duration_seconds_count{check=\"host\"}",
                    "vigil_agent_probes_total{check=\"db\",outcome=\"connect_refused\"}",
                    "vigil_agent_probes_total{check=\"host\",outcome=\"ok\"}",
                    "# TYPE vigil_agent_journal_created_timestamp_seconds gauge");
            String documented = Files.readString(Path.of("..", "docs", "metrics.md"));
            Matcher family = FAMILY.matcher(text);
            while (family.find()) {
                assertThat(documented).as("docs/metrics.md documents %s", family.group(1))
                        .contains("`" + family.group(1));
            }
            Set<String> labels = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("vigil_")) {
                    Matcher name = LABEL_NAME.matcher(line.substring(0, line.lastIndexOf(' ')));
                    while (name.find()) {
                        labels.add(name.group(1));
                    }
                }
            }
            assertThat(BOUNDED_LABELS).containsAll(labels);
            double created = Double.parseDouble(text.lines()
                    .filter(line -> line.startsWith("vigil_agent_journal_created_timestamp_seconds "))
                    .findFirst().orElseThrow().split(" ")[1]);
            assertThat(created).as("seconds, not milliseconds").isBetween(1e9, System.currentTimeMillis() / 1e3 + 1);
        }
    }

    private AgentConfig config() {
        String yaml = """
                agent:
                  name: test-agent
                  location: lab
                collector:
                  url: %s
                  token: ${TOKEN}
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
                  - id: dns
                    type: dns
                    server: 127.0.0.1:%d
                    query_name: www.example.org
                    query_type: A
                    interval: 200ms
                    timeout: 150ms
                  - id: host
                    type: host
                    interval: 200ms
                """.formatted(ingest.url(), target.url("/health"), ClosedPort.find(), ClosedUdpPort.find());
        return AgentConfig.parse("agent.yaml", yaml, Map.of("TOKEN", "s3cret")::get, Path.of("/"))
                .withDataDir(dataDir);
    }

    private HttpResponse<String> get(Agent agent, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agent.httpAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
