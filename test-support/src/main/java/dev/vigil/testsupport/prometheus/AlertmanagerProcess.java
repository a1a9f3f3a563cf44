package dev.vigil.testsupport.prometheus;

import java.io.File;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Alertmanager ({@code prometheus-alertmanager} from Debian's package of that name,
 * which {@code ./vigil test} installs) running as a child process on a free loopback port, with
 * clustering off and its state in a directory of the test's. {@link #close()} stops it.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    /** The executable's name on the PATH. */
    public static final String EXECUTABLE = "prometheus-alertmanager";

    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private final Process process;
    private final URI url;
    private final Path log;

    private AlertmanagerProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** {@code prometheus-alertmanager} on the PATH, if it is there. */
    public static Optional<Path> executable() {
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
     * Starts Alertmanager with {@code configYaml} as its configuration file, its storage and log in
     * {@code directory}, and waits until {@code /-/ready} answers 200.
     *
     * @throws IllegalStateException when it is not on the PATH, exits, or is not ready within 30 s; the
     *                               message carries the end of its log
     */
    public static AlertmanagerProcess start(String configYaml, Path directory)
            throws IOException, InterruptedException {
        Path executable = executable().orElseThrow(() -> new IllegalStateException(EXECUTABLE + " is not on the "
                + "PATH: run the tests with ./vigil test, which installs Debian's prometheus-alertmanager package, or "
                + "apt-get install prometheus-alertmanager"));
        Path config = directory.resolve("alertmanager.yml");
        Files.writeString(config, configYaml, StandardCharsets.UTF_8);
        Path storage = Files.createDirectories(directory.resolve("data"));
        Path log = directory.resolve("alertmanager.log");
        int port = freePort();
        List<String> command = List.of(executable.toString(),
                "--config.file=" + config,
                "--storage.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port,
                // An empty address turns the gossip cluster off: no second port, no peers to wait for.
                "--cluster.listen-address=",
                "--log.level=debug");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI url = URI.create("http://127.0.0.1:" + port);
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, url, log);
        try {
            alertmanager.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            alertmanager.close();
            throw e;
        }
        return alertmanager;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return url;
    }

    /** The process id, for messages. */
    public long pid() {
        return process.pid();
    }

    /** The last {@code lines} lines Alertmanager logged, for failure messages. */
    public String logTail(int lines) {
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
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(EXECUTABLE + " exited with status " + process.exitValue()
                        + " before it was ready; its log ends:\n" + logTail(20));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // It binds its port a moment after starting: ask again.
            }
            // A child process gives no event to wait for; poll its readiness endpoint.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(EXECUTABLE + " was not ready within " + READY_DEADLINE.toSeconds()
                + " s at " + url + "; its log ends:\n" + logTail(20));
    }

    private static int freePort() throws IOException {
        // Alertmanager cannot report the port it bound, so one is picked here; another process could take
        // it in between, which shows as "address already in use" in the log.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
