package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The loopback interface the harness lives on: free ports and short HTTP requests to the processes
 * it started. Nothing here leaves 127.0.0.1.
 */
final class Loopback {
    /** The only address anything in the harness listens on or connects to. */
    static final String HOST = "127.0.0.1";

    /** Short: a SIGSTOP'd collector must not hold a scrape for long. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
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

    /** GET {@code uri}: the body when it answered 200, else empty (refused, timed out, other status). */
    static Optional<String> getOk(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + uri, e);
        }
    }

    /** Sleeps {@code duration}; the harness paces trials, it does not wait for events here. */
    static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
