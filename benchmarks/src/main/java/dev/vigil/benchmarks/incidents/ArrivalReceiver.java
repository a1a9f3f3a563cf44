package dev.vigil.benchmarks.incidents;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The webhook endpoint every contender posts to: an HTTP server on 127.0.0.1 that stamps each request
 * with {@link System#nanoTime()} the moment its handler starts, answers 204, and lets the harness wait
 * for the request it expects. It lives in the harness's JVM, so its stamps and the feeder's share one
 * clock.
 */
final class ArrivalReceiver implements AutoCloseable {

    /**
     * One request as it arrived.
     *
     * @param arrivedNanos {@link System#nanoTime()} when its handler started (headers read, body not yet)
     * @param path         the request path: which contender sent it
     * @param webhookId    the {@code webhook-id} header, empty when absent (Alertmanager sends none)
     * @param body         the body as UTF-8 text
     */
    record Arrival(long arrivedNanos, String path, String webhookId, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Arrival> arrivals = new ArrayList<>();

    private ArrivalReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on an ephemeral port of 127.0.0.1. */
    static ArrivalReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // More threads than senders: a stamp must not wait for another request's handler.
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "arrival-receiver");
            thread.setDaemon(true);
            return thread;
        });
        ArrivalReceiver receiver = new ArrivalReceiver(server, executor);
        server.createContext("/", exchange -> {
            long arrived = System.nanoTime();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String webhookId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("webhook-id")).orElse("");
            receiver.record(new Arrival(arrived, exchange.getRequestURI().getPath(), webhookId,
                    new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        });
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    private synchronized void record(Arrival arrival) {
        arrivals.add(arrival);
        notifyAll();
    }

    /**
     * The first request that matches {@code wanted}, waiting up to {@code timeout} for it; empty when
     * none came in time.
     */
    synchronized Optional<Arrival> await(Predicate<Arrival> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = 0;
        while (true) {
            for (; scanned < arrivals.size(); scanned++) {
                if (wanted.test(arrivals.get(scanned))) {
                    return Optional.of(arrivals.get(scanned));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** How many requests arrived on {@code path}. */
    synchronized long count(String path) {
        return arrivals.stream().filter(arrival -> arrival.path().equals(path)).count();
    }

    /** The URL of {@code path} on this receiver, e.g. {@code http://127.0.0.1:41234/vigil}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
