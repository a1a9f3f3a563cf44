package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testsupport.target.StatusHttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AgentMain --blackbox-config} run as its own JVM, as an operator runs it. */
class AgentMainBlackboxTest {
    @TempDir
    Path dir;

    private Process agent(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The journal (Chronicle Queue) needs the module flags this test JVM was started with.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle."))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int exitCode(Process process) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the agent did not exit within 60 s");
        }
        return process.exitValue();
    }

    @Test
    void startsStandaloneWithOnlyAModuleFileAndAnswersProbes() throws Exception {
        Path modules = dir.resolve("blackbox.yml");
        Files.writeString(modules, "modules:\n  tcp_connect:\n    prober: tcp\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("agent.log");
        Process process = agent(log, "--blackbox-config", modules.toString(), "--listen", "127.0.0.1:" + port);
        try (StatusHttpServer target = StatusHttpServer.healthy()) {
            HttpClient client = HttpClient.newHttpClient();
            URI probe = URI.create("http://127.0.0.1:" + port + "/probe?module=tcp_connect&target=127.0.0.1:"
                    + target.port());
            await("the agent answering /probe").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the agent exited: " + Files.readString(log));
                        }
                        return client.send(HttpRequest.newBuilder(probe).build(),
                                HttpResponse.BodyHandlers.ofString()).body().contains("probe_success 1\n");
                    });
            assertThat(Files.readString(log)).contains("Vigil agent answering blackbox_exporter probes for 1 modules of "
                    + modules + " on http://127.0.0.1:" + port + "/probe");
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void exitsWithStatus2AndTheExactMessageWhenTheModuleFileIsInvalid() throws Exception {
        Path modules = dir.resolve("blackbox.yml");
        Files.writeString(modules, "modules:\n  web:\n    prober: http\n    retries: 3\n");
        Path log = dir.resolve("agent.log");

        int status = exitCode(agent(log, "--blackbox-config", modules.toString()));

        assertThat(status).isEqualTo(2);
        assertThat(Files.readString(log)).contains("ERROR [main] dev.vigil.agent.AgentMain - unknown field"
                + " modules.web.retries at blackbox.yml:4 (known: dns, grpc, http, icmp, prober, tcp, timeout)\n");
    }

    @Test
    void exitsWithStatus2WhenTheModuleFileIsMissing() throws Exception {
        Path log = dir.resolve("agent.log");

        int status = exitCode(agent(log, "--blackbox-config", dir.resolve("missing.yml").toString()));

        assertThat(status).isEqualTo(2);
        assertThat(Files.readString(log)).contains("cannot read module file " + dir.resolve("missing.yml"));
    }

    @Test
    void answersProbesBesideItsOwnChecksWhenGivenBothFiles() throws Exception {
        Path modules = dir.resolve("blackbox.yml");
        Files.writeString(modules, "modules:\n  tcp_connect:\n    prober: tcp\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (StatusHttpServer target = StatusHttpServer.healthy()) {
            Path config = dir.resolve("agent.yaml");
            // The collector is not running: the agent keeps its samples and retries, which must not stop /probe.
            Files.writeString(config, "agent:\n  name: both\ncollector:\n  url: http://127.0.0.1:1\n  token: t\n"
                    + "data_dir: data\nchecks:\n  - id: web\n    type: tcp\n    target: 127.0.0.1:" + target.port()
                    + "\n    interval: 1s\n");
            Path log = dir.resolve("agent.log");
            Process process = agent(log, "--config", config.toString(), "--blackbox-config", modules.toString(),
                    "--listen", "127.0.0.1:" + port);
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI probe = URI.create("http://127.0.0.1:" + port + "/probe?module=tcp_connect&target=127.0.0.1:"
                        + target.port());
                await("the agent answering /probe").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .failFast("the agent exited", () -> !process.isAlive())
                        .ignoreExceptions()
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("the agent exited: " + Files.readString(log));
                            }
                            return client.send(HttpRequest.newBuilder(probe).build(),
                                    HttpResponse.BodyHandlers.ofString()).body().contains("probe_success 1\n");
                        });
                URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
                await("the agent's own check journaled").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> client.send(HttpRequest.newBuilder(metrics).build(),
                                HttpResponse.BodyHandlers.ofString()).body()
                                .contains("vigil_agent_probes_total{check=\"web\",outcome=\"ok\"}"));
                assertThat(Files.readString(log)).contains("Vigil agent both probing 1 checks; metrics on http://127.0.0.1:"
                        + port + "/metrics, blackbox_exporter probes for 1 modules on http://127.0.0.1:" + port + "/probe");
            } finally {
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
