package dev.vigil.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An HTTP target on 127.0.0.1 that answers 200 while up and 503 while down, switched by the test. */
final class SwitchableTarget implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean up = true;

    private SwitchableTarget(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static SwitchableTarget start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        SwitchableTarget target = new SwitchableTarget(server, executor);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            int status = target.up ? 200 : 503;
            byte[] body = (status == 200 ? "ok\n" : "down\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
        return target;
    }

    void setUp(boolean up) {
        this.up = up;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
