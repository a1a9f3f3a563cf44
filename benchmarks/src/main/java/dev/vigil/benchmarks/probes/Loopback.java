package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The loopback interface the whole benchmark lives on: free ports, and waiting for a server started
 * by the benchmark to answer. Nothing here leaves 127.0.0.1.
 */
final class Loopback {
    /** The only address anything in the benchmark listens on or connects to. */
    static final String HOST = "127.0.0.1";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Loopback() {
    }

    /** A port nothing listens on right now; the kernel picks it from the ephemeral range. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** Waits until something accepts connections on {@code port}, failing if {@code owner} exits first. */
    static void awaitListening(int port, ChildProcess owner, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 500);
                return;
            } catch (IOException notYet) {
                checkAlive(owner, deadline, "listening on " + HOST + ":" + port, within);
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
    }

    /** Waits until GET {@code uri} answers 200, failing if {@code owner} exits first. */
    static void awaitOk(URI uri, ChildProcess owner, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (get(uri).map(response -> response.statusCode() == 200).orElse(false)) {
                return;
            }
            checkAlive(owner, deadline, "answering 200 at " + uri, within);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** GET {@code uri}, or empty when nothing answered within 30 s. */
    static Optional<HttpResponse<String>> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return Optional.of(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + uri, e);
        }
    }

    /** Sleeps {@code duration}, keeping the interrupt for the caller. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void checkAlive(ChildProcess owner, long deadline, String what, Duration within) {
        if (!owner.alive()) {
            throw new IllegalStateException(owner.name() + " exited (status " + owner.process().exitValue()
                    + ") before " + what + "; its log ends:\n" + owner.logTail(15));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(owner.name() + " was not " + what + " within " + within.toSeconds()
                    + " s; its log ends:\n" + owner.logTail(15));
        }
    }
}
