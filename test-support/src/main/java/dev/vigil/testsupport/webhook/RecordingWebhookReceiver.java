package dev.vigil.testsupport.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

        /**
         * Whether the request carries a Standard Webhooks signature made with {@code key}: one of the
         * space-separated {@code v1,<base64>} entries of {@code webhook-signature} is the HMAC-SHA256,
         * keyed with it, of {@code <webhook-id>.<webhook-timestamp>.<body>}. Compared in constant time,
         * as a receiver must. Written from the specification, independently of the sender's code.
         */
        public boolean signedWith(byte[] key) {
            String id = headers.get("webhook-id");
            String timestamp = headers.get("webhook-timestamp");
            if (id == null || timestamp == null) {
                return false;
            }
            byte[] expected;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform provides HmacSHA256", e);
            }
            for (String signature : signatures()) {
                if (signature.startsWith("v1,")) {
                    byte[] given;
                    try {
                        given = Base64.getDecoder().decode(signature.substring(3));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (MessageDigest.isEqual(expected, given)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The entries of {@code webhook-signature}, in order; empty when there is no such header. */
        public List<String> signatures() {
            String header = headers.get("webhook-signature");
            return header == null || header.isBlank() ? List.of() : List.of(header.trim().split(" +"));
        }
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
