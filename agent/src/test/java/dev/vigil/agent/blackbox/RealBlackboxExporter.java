package dev.vigil.agent.blackbox;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus-blackbox-exporter} run as a child process on a free loopback port, for
 * comparing answers; {@link #close()} kills it.
 */
final class RealBlackboxExporter implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus-blackbox-exporter");

    private final Process process;
    private final int port;
    private final Path log;

    private RealBlackboxExporter(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the exporter on {@code moduleFile} and waits (at most 30 s) until it answers. */
    static RealBlackboxExporter start(Path moduleFile, Path workDir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: run the tests with ./vigil test, which installs"
                    + " Debian's prometheus-blackbox-exporter package");
        }
        int port = freePort();
        Path log = workDir.resolve("blackbox-exporter.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + moduleFile,
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RealBlackboxExporter exporter = new RealBlackboxExporter(process, port, log);
        HttpClient client = HttpClient.newHttpClient();
        try {
            await("blackbox_exporter answering on port " + port).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("blackbox_exporter exited: " + Files.readString(log));
                        }
                        return client.send(HttpRequest.newBuilder(URI.create(exporter.url("/metrics"))).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            exporter.close();
            throw e;
        }
        return exporter;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
