package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testsupport.prometheus.Promtool;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real parts: an agent process probes a loopback target, journals and ships to
 * a collector process, which opens and resolves an incident through a webhook, and is killed with
 * SIGKILL and restarted in the middle of the outage.
 */
class PipelineEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final String TOKEN = "e2e-token-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    private SwitchableTarget target;
    private RecordingWebhookReceiver webhooks;
    private VigilProcess collector;
    private VigilProcess agent;
    private URI collectorUrl;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void opensExactlyOneIncidentPerOutageThroughACollectorKillAndMeasuresItsLength() throws Exception {
        target = SwitchableTarget.start();
        webhooks = RecordingWebhookReceiver.start();
        int collectorPort = freePort();
        int agentPort = freePort();
        collectorUrl = URI.create("http://127.0.0.1:" + collectorPort);
        Path collectorYaml = dir.resolve("collector.yaml");
        Files.writeString(collectorYaml, """
                listen: 127.0.0.1:%d
                data_dir: collector-data
                agents:
                  - name: e2e-agent
                    token: ${E2E_TOKEN}
                state:
                  failures_to_open: 2
                  successes_to_close: 2
                webhooks:
                  - name: recorder
                    url: %s
                    timeout: 2s
                incidents:
                  egress:
                    allow: ["127.0.0.0/8"]
                """.formatted(collectorPort, webhooks.url("/incidents")), StandardCharsets.UTF_8);
        Path agentYaml = dir.resolve("agent.yaml");
        Files.writeString(agentYaml, """
                agent:
                  name: e2e-agent
                  location: loopback
                collector:
                  url: %s
                  token: ${E2E_TOKEN}
                data_dir: agent-data
                listen: 127.0.0.1:%d
                checks:
                  - id: web
                    type: http
                    url: %s
                    interval: %dms
                    timeout: 300ms
                """.formatted(collectorUrl, agentPort, target.url(), INTERVAL.toMillis()), StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("E2E_TOKEN", TOKEN);

        collector = startCollector(collectorYaml, env);
        agent = VigilProcess.start("agent", "vigil.agent.jar", agentYaml, dir.resolve("agent.log"), env);
        awaitCheck(check -> check.path("state").asText().equals("up"), "the check to be up");

        target.setUp(false);
        Instant wentDown = Instant.now();
        awaitIncidents(incidents -> incidents.size() == 1, "one incident to open");
        await("the opened event to be delivered").atMost(Duration.ofSeconds(30))
                .until(() -> events("incident.opened").size() == 1);
        // Kill once the collector has recorded the delivery. Killed between the receiver's 2xx and that
        // record, it would send the event again with the same webhook-id (at-least-once, docs/incidents.md).
        awaitIncidents(incidents -> deliveryState(incidents.get(0), "opened").equals("delivered"),
                "the collector to record the opened delivery");

        collector.kill();
        collector = startCollector(collectorYaml, env);
        long samplesAfterRestart = check().path("samples").asLong();
        awaitCheck(check -> check.path("samples").asLong() >= samplesAfterRestart + 4,
                "failed samples to arrive at the restarted collector");
        assertThat(incidents()).hasSize(1);
        assertThat(incidents().get(0).path("status").asText()).isEqualTo("open");

        target.setUp(true);
        Instant cameBack = Instant.now();
        awaitIncidents(incidents -> incidents.size() == 1
                && incidents.get(0).path("status").asText().equals("resolved"), "the incident to resolve");
        await("the resolved event to be delivered").atMost(Duration.ofSeconds(30))
                .until(() -> events("incident.resolved").size() == 1);

        assertThat(events("incident.opened")).hasSize(1);
        assertThat(events("incident.resolved")).hasSize(1);
        assertThat(webhooks.requests()).extracting(request -> request.headers().get("webhook-id"))
                .containsExactly(opened0Id(), resolved0Id());
        JsonNode opened = events("incident.opened").get(0);
        JsonNode resolved = events("incident.resolved").get(0);
        assertThat(opened.path("dedupKey").asText()).isNotEmpty().isEqualTo(resolved.path("dedupKey").asText());

        JsonNode incident = incidents().get(0);
        Duration outage = Duration.between(Instant.parse(incident.path("startedAt").asText()),
                Instant.parse(incident.path("resolvedAt").asText()));
        Duration targetDown = Duration.between(wentDown, cameBack);
        assertThat(outage.minus(targetDown).abs())
                .as("outage %s against the target's %s down", outage, targetDown)
                .isLessThanOrEqualTo(INTERVAL.plusMillis(150));

        JsonNode hour = check().path("windows").path("1h");
        double observed = hour.path("observedSeconds").asDouble();
        double downtime = hour.path("downtimeSeconds").asDouble();
        assertThat(downtime).isCloseTo(outage.toMillis() / 1000.0, offset(0.01));
        assertThat(hour.path("availability").asDouble())
                .isCloseTo(1 - downtime / observed, offset(1e-6));
        assertThat(Math.abs(downtime - targetDown.toMillis() / 1000.0))
                .isLessThanOrEqualTo(INTERVAL.toMillis() / 1000.0 + 0.15);

        assertPromtoolAccepts(collectorUrl.resolve("/metrics"));
        assertPromtoolAccepts(URI.create("http://127.0.0.1:" + agentPort + "/metrics"));
    }

    private static void assertPromtoolAccepts(URI metrics) throws IOException, InterruptedException {
        Promtool.Result result = Promtool.checkMetrics(VigilProcess.get(metrics));
        assertThat(result.clean()).as("%s of %s:\n%s", result.command(), metrics, result.output()).isTrue();
    }

    private VigilProcess startCollector(Path config, Map<String, String> env) throws IOException {
        VigilProcess started = VigilProcess.start("collector", "vigil.collector.jar", config,
                dir.resolve("collector.log"), env);
        URI health = collectorUrl.resolve("/healthz");
        await("the collector to become healthy").atMost(Duration.ofSeconds(60))
                .failFast("the collector exited\n" + started.logTail(), () -> !started.isAlive())
                .until(() -> VigilProcess.status(health) == 200);
        return started;
    }

    private JsonNode check() throws IOException, InterruptedException {
        JsonNode checks = JSON.readTree(VigilProcess.get(collectorUrl.resolve("/api/v1/checks"))).path("checks");
        for (JsonNode check : checks) {
            if (check.path("check").asText().equals("web")) {
                return check;
            }
        }
        return JSON.createObjectNode();
    }

    private List<JsonNode> incidents() throws IOException, InterruptedException {
        JsonNode incidents = JSON.readTree(VigilProcess.get(collectorUrl.resolve("/api/v1/incidents")))
                .path("incidents");
        List<JsonNode> list = new ArrayList<>();
        incidents.forEach(list::add);
        return list;
    }

    private String opened0Id() throws IOException {
        return events("incident.opened").get(0).path("dedupKey").asText() + ":opened";
    }

    private String resolved0Id() throws IOException {
        return events("incident.resolved").get(0).path("dedupKey").asText() + ":resolved";
    }

    private static String deliveryState(JsonNode incident, String event) {
        for (JsonNode delivery : incident.path("deliveries")) {
            if (delivery.path("event").asText().equals(event)) {
                return delivery.path("state").asText();
            }
        }
        return "absent";
    }

    private List<JsonNode> events(String type) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (RecordingWebhookReceiver.Request request : webhooks.acceptedRequests()) {
            JsonNode event = JSON.readTree(request.body());
            if (event.path("type").asText().equals(type)) {
                events.add(event);
            }
        }
        return events;
    }

    private void awaitCheck(Predicate<JsonNode> condition, String what) {
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast(() -> failure())
                .until(() -> condition.test(check()));
    }

    private void awaitIncidents(Predicate<List<JsonNode>> condition, String what) {
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast(() -> failure())
                .until(() -> condition.test(incidents()));
    }

    private boolean failure() {
        if (!collector.isAlive() || !agent.isAlive()) {
            throw new AssertionError("a process exited\n" + collector.logTail() + "\n" + agent.logTail());
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
