package dev.vigil.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, which {@code ./vigil test} installs)
 * running as a child process on a loopback port of the caller's, its TSDB and log in a directory of the
 * test's, answering instant queries. {@link #close()} stops it.
 */
final class PrometheusServer implements AutoCloseable {
    /** The executable's name on the PATH. */
    static final String EXECUTABLE = "prometheus";

    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private final Process process;
    private final URI url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusServer(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** {@code prometheus} on the PATH, if it is there. */
    static Optional<Path> executable() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, EXECUTABLE);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts Prometheus with {@code configYaml} as its configuration, listening on 127.0.0.1:{@code port},
     * with its TSDB and log in {@code directory}, and waits until {@code /-/ready} answers 200.
     *
     * @throws IllegalStateException when it is not on the PATH, exits, or is not ready within 30 s; the
     *                               message carries the end of its log
     */
    static PrometheusServer start(String configYaml, Path directory, int port) throws IOException, InterruptedException {
        Path executable = executable().orElseThrow(() -> new IllegalStateException(EXECUTABLE + " is not on the PATH: "
                + "run the tests with ./vigil test, which installs Debian's prometheus package, or apt-get install prometheus"));
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, configYaml, StandardCharsets.UTF_8);
        Path log = directory.resolve("prometheus.log");
        List<String> command = List.of(executable.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(directory.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer prometheus = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            prometheus.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    URI url() {
        return url;
    }

    /**
     * The {@code data.result} of an instant query of {@code expr} at the current time.
     *
     * @throws IllegalStateException when Prometheus refuses the query; the message carries its error
     */
    JsonNode query(String expr) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!answer.path("status").asText().equals("success")) {
            throw new IllegalStateException("Prometheus refused " + expr + ": " + answer.path("errorType").asText()
                    + ": " + answer.path("error").asText());
        }
        return answer.path("data").path("result");
    }

    /** The JSON answer of {@code GET path}, whatever its status. */
    JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        try {
            return json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last {@code lines} lines Prometheus logged, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Asks it to stop, and kills it when it has not within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(EXECUTABLE + " exited with status " + process.exitValue()
                        + " before it was ready; its log ends:\n" + logTail(20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // It binds its port a moment after starting, and answers 503 while it loads its TSDB: ask again.
            }
            // A child process gives no event to wait for; poll its readiness endpoint.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(EXECUTABLE + " was not ready within " + READY_DEADLINE.toSeconds() + " s at "
                + url + "; its log ends:\n" + logTail(20));
    }
}
