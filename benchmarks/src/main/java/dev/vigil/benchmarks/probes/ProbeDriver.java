package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks a {@code /probe} endpoint for probes, the way Prometheus would but faster: HTTP/1.1 with
 * kept-alive connections to the endpoint (the probes themselves open new connections to the
 * target). It runs in the benchmark's own JVM, so its CPU is never charged to the prober.
 */
final class ProbeDriver implements AutoCloseable {
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "probe-driver");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();

    /**
     * One probe through {@code uri}: what the endpoint said, or a failed reply when it did not answer
     * 200 with {@code probe_success 1}.
     */
    Reply once(URI uri) {
        try {
            return Reply.parse(client.send(request(uri), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Reply.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted probing " + uri, e);
        }
    }

    /**
     * Starts {@code concurrency} request loops against {@code uri}: each sends the next request as soon
     * as the previous answer is in, until {@link Load#stop()}.
     */
    Load start(URI uri, int concurrency) {
        Load load = new Load(concurrency);
        HttpRequest request = request(uri);
        for (int i = 0; i < concurrency; i++) {
            next(request, load);
        }
        return load;
    }

    // Each answer sends the next request: a loop without a thread, and without a chain of futures that
    // would grow with every request.
    private void next(HttpRequest request, Load load) {
        if (load.stopped.get()) {
            load.loopsRunning.countDown();
            return;
        }
        // Async on the driver's pool: an immediate failure must not recurse on the caller's stack.
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenCompleteAsync((response, failure) -> {
            if (failure == null && Reply.parse(response).success()) {
                load.successes.incrementAndGet();
            } else {
                load.failures.incrementAndGet();
            }
            next(request, load);
        }, executor);
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What a {@code /probe} answer said.
     *
     * @param success         200 with {@code probe_success 1}
     * @param durationSeconds {@code probe_duration_seconds}, NaN when absent
     */
    record Reply(boolean success, double durationSeconds) {
        static final Reply FAILED = new Reply(false, Double.NaN);

        static Reply parse(HttpResponse<String> response) {
            if (response.statusCode() != 200) {
                return FAILED;
            }
            boolean success = false;
            double duration = Double.NaN;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("probe_success ")) {
                    success = Double.parseDouble(line.substring("probe_success ".length()).trim()) == 1.0;
                } else if (line.startsWith("probe_duration_seconds ")) {
                    duration = Double.parseDouble(line.substring("probe_duration_seconds ".length()).trim());
                }
            }
            return new Reply(success, duration);
        }
    }

    /** A running load: counts of answered probes so far. */
    static final class Load {
        private final AtomicLong successes = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final CountDownLatch loopsRunning;

        private Load(int concurrency) {
            loopsRunning = new CountDownLatch(concurrency);
        }

        long successes() {
            return successes.get();
        }

        long failures() {
            return failures.get();
        }

        /** Sends no new requests and waits (up to 15 s) for the answers in flight. */
        void stop() {
            stopped.set(true);
            try {
                loopsRunning.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
