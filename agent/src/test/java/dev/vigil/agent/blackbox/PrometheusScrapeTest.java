package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.agent.BlackboxAgent;
import dev.vigil.testsupport.prometheus.PrometheusProcess;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes Vigil's {@code /probe} with the scrape configuration blackbox_exporter's
 * documentation gives, unchanged but for the exporter's address, and sees the verdicts.
 */
class PrometheusScrapeTest {

    @TempDir
    Path workDir;

    @Test
    void prometheusSeesProbeSuccessOneForAGoodTargetAndZeroForABadOne() throws Exception {
        Path modules = workDir.resolve("blackbox.yml");
        Files.writeString(modules, BlackboxConfigTest.resource("debian-blackbox.yml"));
        try (LoopbackTargets targets = new LoopbackTargets();
                BlackboxAgent vigil = BlackboxAgent.start(BlackboxConfig.load(modules),
                        new InetSocketAddress("127.0.0.1", 0))) {
            String good = "http://127.0.0.1:" + targets.ok.port() + "/";
            String bad = "http://127.0.0.1:" + targets.closedPort + "/";
            String config = """
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
                    """.formatted(good, bad, vigil.httpAddress().getPort());
            try (PrometheusProcess prometheus = PrometheusProcess.start(config, workDir,
                    PrometheusProcess.freePort())) {
                Map<String, String> verdicts = new HashMap<>();
                await("Prometheus holding probe_success for both targets").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            verdicts.clear();
                            verdicts.putAll(verdicts(prometheus.query("probe_success")));
                            return verdicts.size() == 2;
                        });

                assertThat(verdicts).as(prometheus.logTail(20)).containsEntry(good, "1").containsEntry(bad, "0");
            }
        }
    }

    /** The value of each series of an instant query's result, by instance. */
    private static Map<String, String> verdicts(JsonNode result) {
        Map<String, String> verdicts = new HashMap<>();
        for (JsonNode series : result) {
            verdicts.put(series.path("metric").path("instance").asText(), series.path("value").path(1).asText());
        }
        return verdicts;
    }
}
