package dev.vigil.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Starts the JDK's HTTP server on 127.0.0.1 for the demo's HTTP targets and receiver. */
final class WebServers {
    private WebServers() {
    }

    /** A server on 127.0.0.1:{@code port} answering every path with {@code handler}; close it with the returned handle. */
    static AutoCloseable serve(String name, int port, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new AutoCloseable() {
            @Override
            public void close() {
                server.stop(0);
                executor.shutdownNow();
            }

            @Override
            public String toString() {
                return name + " on 127.0.0.1:" + port;
            }
        };
    }

    /** Drains the request body and answers {@code status} with a small text body. */
    static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        respond(exchange, status, body);
    }

    /** Answers {@code status} with a small text body; the request body must have been read already. */
    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
