package dev.vigil.testsupport.prometheus;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus-family server (Prometheus, Alertmanager) from a Debian package running as a child
 * process on a loopback port: found on the PATH, started with its log in a file, waited for on
 * {@code /-/ready}, and stopped by {@link #close()}. One class for what {@link PrometheusProcess} and
 * {@link AlertmanagerProcess} share.
 */
final class PeerProcess implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private final String executable;
    private final Process process;
    private final URI url;
    private final Path log;

    private PeerProcess(String executable, Process process, URI url, Path log) {
        this.executable = executable;
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** {@code executable} on the PATH, if it is there. */
    static Optional<Path> onPath(String executable) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code executable} with {@code arguments}, its output in {@code log}, and waits until
     * {@code /-/ready} on 127.0.0.1:{@code port} answers 200.
     *
     * @param debianPackage the package that provides it, for the message when it is missing
     * @throws IllegalStateException when it is not on the PATH, exits, or is not ready within 30 s; the
     *                               message carries the end of its log
     */
    static PeerProcess start(String executable, String debianPackage, List<String> arguments, Path log, int port)
            throws IOException, InterruptedException {
        Path binary = onPath(executable).orElseThrow(() -> new IllegalStateException(executable + " is not on the "
                + "PATH: run the tests with ./vigil test, which installs Debian's " + debianPackage + " package, or "
                + "apt-get install " + debianPackage));
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(executable, process, URI.create("http://127.0.0.1:" + port), log);
        try {
            peer.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /**
     * A free loopback port. The servers cannot report the port they bound, so one is picked here; another
     * process could take it in between, which shows as "address already in use" in the log.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
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
                throw new IllegalStateException(executable + " exited with status " + process.exitValue()
                        + " before it was ready; its log ends:\n" + logTail(20));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // It binds its port a moment after starting, and answers 503 while it loads its data: ask again.
            }
            // A child process gives no event to wait for; poll its readiness endpoint.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(executable + " was not ready within " + READY_DEADLINE.toSeconds() + " s at "
                + url + "; its log ends:\n" + logTail(20));
    }
}
