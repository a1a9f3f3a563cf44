package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.BlackboxAgent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes Vigil's {@code /probe} with the scrape configuration blackbox_exporter's
 * documentation gives, unchanged but for the exporter's address, and sees the verdicts.
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Pattern RESULT = Pattern.compile(
            "\\{\"metric\":\\{[^}]*\"instance\":\"([^\"]+)\"[^}]*},\"value\":\\[[^,]+,\"([^\"]+)\"]}");

    @TempDir
    Path workDir;

    @Test
    void prometheusSeesProbeSuccessOneForAGoodTargetAndZeroForABadOne() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            throw new IllegalStateException(PROMETHEUS + " is missing: run the tests with ./vigil test, which"
                    + " installs Debian's prometheus package");
        }
        Path modules = workDir.resolve("blackbox.yml");
        Files.writeString(modules, BlackboxConfigTest.resource("debian-blackbox.yml"));
        try (LoopbackTargets targets = new LoopbackTargets();
                BlackboxAgent vigil = BlackboxAgent.start(BlackboxConfig.load(modules),
                        new InetSocketAddress("127.0.0.1", 0))) {
            String good = "http://127.0.0.1:" + targets.ok.port() + "/";
            String bad = "http://127.0.0.1:" + targets.closedPort + "/";
            int prometheusPort = RealBlackboxExporter.freePort();
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: blackbox
                        metrics_path: /probe
                        params:
                          module: [http_2xx]  # Look for a HTTP 200 response.
                        static_configs:
                          - targets:
                            - %s
                            - %s
                        relabel_configs:
                          - source_labels: [__address__]
                            target_label: __param_target
                          - source_labels: [__param_target]
                            target_label: instance
                          - target_label: __address__
                            replacement: 127.0.0.1:%d  # The blackbox exporter's real hostname:port.
                    """.formatted(good, bad, vigil.httpAddress().getPort()));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("prometheus.log").toFile())
                    .start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI query = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                        + URLEncoder.encode("probe_success", StandardCharsets.UTF_8));
                Map<String, String> verdicts = new HashMap<>();
                await("Prometheus holding probe_success for both targets").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            if (!prometheus.isAlive()) {
                                throw new IllegalStateException("prometheus exited: "
                                        + Files.readString(workDir.resolve("prometheus.log")));
                            }
                            verdicts.clear();
                            verdicts.putAll(verdicts(client.send(HttpRequest.newBuilder(query).build(),
                                    HttpResponse.BodyHandlers.ofString()).body()));
                            return verdicts.size() == 2;
                        });

                assertThat(verdicts).containsEntry(good, "1").containsEntry(bad, "0");
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The value of each series of an instant query's JSON answer, by instance. */
    private static Map<String, String> verdicts(String json) throws IOException {
        Map<String, String> verdicts = new HashMap<>();
        Matcher matcher = RESULT.matcher(json);
        while (matcher.find()) {
            verdicts.put(matcher.group(1), matcher.group(2));
        }
        return verdicts;
    }
}
