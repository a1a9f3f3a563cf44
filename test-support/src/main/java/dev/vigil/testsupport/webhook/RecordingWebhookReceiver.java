package dev.vigil.testsupport.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server on 127.0.0.1 that records every request (method, path, headers, body) and answers
 * 200, or the statuses queued with {@link #failNext}. Use it as a webhook endpoint in tests.
 */
public final class RecordingWebhookReceiver implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param method  the HTTP method
     * @param path    the request path
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status this receiver answered with
     */
    public record Request(String method, String path, Map<String, String> headers, String body, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();

    private RecordingWebhookReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on an ephemeral port of 127.0.0.1. */
    public static RecordingWebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        });
        RecordingWebhookReceiver receiver = new RecordingWebhookReceiver(server, executor);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            int status = receiver.record(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8));
            byte[] answer = status < 300 ? "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"scripted failure\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    private synchronized int record(String method, String path, Map<String, String> headers, String body) {
        Integer scripted = scriptedStatuses.poll();
        int status = scripted == null ? 200 : scripted;
        requests.add(new Request(method, path, headers, body, status));
        return status;
    }

    /** Answers the next {@code count} requests with {@code status} (e.g. 503 to force retries). */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            scriptedStatuses.add(status);
        }
    }

    /** A copy of every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered with a 2xx status, in arrival order. */
    public synchronized List<Request> acceptedRequests() {
        return requests.stream().filter(request -> request.status() < 300).toList();
    }

    /** The URL of {@code path} on this receiver, e.g. {@code http://127.0.0.1:41234/hooks}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The port this receiver listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
