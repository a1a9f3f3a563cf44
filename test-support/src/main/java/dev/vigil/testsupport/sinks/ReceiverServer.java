package dev.vigil.testsupport.sinks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The loopback HTTP server under each receiver of this package: the JDK's server on an ephemeral port of
 * 127.0.0.1, on two daemon threads. It reads each request whole, asks the receiver for its reply and
 * writes it back, or drops the connection when the receiver loses the reply on purpose. What a request
 * means, and what is answered, stays with the receiver that models the tool.
 */
final class ReceiverServer implements AutoCloseable {
    /**
     * A request as read.
     *
     * @param method  the HTTP method
     * @param uri     the request URI as sent: raw path and raw query
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param size    the body's length in bytes
     */
    record Incoming(String method, URI uri, Map<String, String> headers, String body, int size) {
        /** The raw path, and the raw query after a {@code ?} when there is one, as a request log shows it. */
        String pathAndQuery() {
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }

        /** The query's parameters, decoded, in order; a parameter without {@code =} has the empty value. */
        Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            String raw = uri.getRawQuery();
            if (raw == null || raw.isEmpty()) {
                return query;
            }
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(decode(equals < 0 ? pair : pair.substring(0, equals)),
                        equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
            return query;
        }

        /** Whether the request carries the HTTP basic credentials {@code user} and {@code password}. */
        boolean hasBasicCredentials(String user, String password) {
            String pair = user + ":" + password;
            return ("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
                    .equals(headers.get("authorization"));
        }
    }

    /**
     * What a receiver answers.
     *
     * @param status      the HTTP status
     * @param contentType the {@code Content-Type}
     * @param body        the body, written as UTF-8; empty for none
     * @param retryAfter  a {@code Retry-After} header of whole seconds, if the tool sends one
     */
    record Reply(int status, String contentType, String body, Optional<Duration> retryAfter) {
        /**
         * No reply at all: the connection closes before any response header, so the client sees it drop
         * and cannot know whether the request was processed.
         */
        static final Reply DROPPED = new Reply(0, "", "");

        /** A reply without {@code Retry-After}. */
        Reply(int status, String contentType, String body) {
            this(status, contentType, body, Optional.empty());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private ReceiverServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a server on an ephemeral port of 127.0.0.1 that answers every request with {@code receiver}.
     *
     * @param tool     names the threads, {@code <tool>-receiver}
     * @param receiver the reply to a request; called on the server's threads, so it guards its own state
     */
    static ReceiverServer start(String tool, Function<Incoming, Reply> receiver) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, tool + "-receiver");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", exchange -> exchange(exchange, receiver));
        server.setExecutor(executor);
        server.start();
        return new ReceiverServer(server, executor);
    }

    /** The URL of {@code path} on this server, e.g. {@code http://127.0.0.1:41234/v2/enqueue}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void exchange(HttpExchange exchange, Function<Incoming, Reply> receiver) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            Reply reply = receiver.apply(new Incoming(exchange.getRequestMethod(), exchange.getRequestURI(), headers,
                    new String(body, StandardCharsets.UTF_8), body.length));
            if (reply == Reply.DROPPED) {
                // Closing the exchange before any response header closes the connection.
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            reply.retryAfter().ifPresent(wait ->
                    exchange.getResponseHeaders().add("Retry-After", Long.toString(wait.toSeconds())));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
