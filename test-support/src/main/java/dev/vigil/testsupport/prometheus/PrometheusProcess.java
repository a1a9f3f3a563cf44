package dev.vigil.testsupport.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A real Prometheus server (Debian's {@code prometheus} package, which {@code ./vigil test} installs)
 * running as a child process on a loopback port, its TSDB and log in a directory of the test's,
 * answering instant queries. {@link #close()} stops it.
 */
public final class PrometheusProcess implements AutoCloseable {
    /** The executable's name on the PATH. */
    public static final String EXECUTABLE = "prometheus";

    private final PeerProcess peer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusProcess(PeerProcess peer) {
        this.peer = peer;
    }

    /** {@code prometheus} on the PATH, if it is there. */
    public static Optional<Path> executable() {
        return PeerProcess.onPath(EXECUTABLE);
    }

    /** A free loopback port for {@link #start(String, Path, int)}, when the configuration must name it. */
    public static int freePort() throws IOException {
        return PeerProcess.freePort();
    }

    /**
     * Starts Prometheus with {@code configYaml} as its configuration, listening on 127.0.0.1:{@code port},
     * with its TSDB and log in {@code directory}, and waits until {@code /-/ready} answers 200.
     *
     * @throws IllegalStateException when it is not on the PATH, exits, or is not ready within 30 s; the
     *                               message carries the end of its log
     */
    public static PrometheusProcess start(String configYaml, Path directory, int port)
            throws IOException, InterruptedException {
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, configYaml, StandardCharsets.UTF_8);
        return new PrometheusProcess(PeerProcess.start(EXECUTABLE, "prometheus", List.of(
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(directory.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), directory.resolve("prometheus.log"), port));
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return peer.url();
    }

    /**
     * The {@code data.result} of an instant query of {@code expr} at the current time.
     *
     * @throws IllegalStateException when Prometheus refuses the query; the message carries its error
     */
    public JsonNode query(String expr) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!answer.path("status").asText().equals("success")) {
            throw new IllegalStateException("Prometheus refused " + expr + ": " + answer.path("errorType").asText()
                    + ": " + answer.path("error").asText());
        }
        return answer.path("data").path("result");
    }

    /** The JSON answer of {@code GET path}, whatever its status. */
    public JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10)).build();
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
    public String logTail(int lines) {
        return peer.logTail(lines);
    }

    /** Asks it to stop, and kills it when it has not within 10 s. */
    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
