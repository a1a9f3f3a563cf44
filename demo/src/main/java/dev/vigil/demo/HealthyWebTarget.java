package dev.vigil.demo;

import java.io.IOException;

/** An HTTP service that always answers 200. */
final class HealthyWebTarget {
    private HealthyWebTarget() {
    }

    static AutoCloseable start(int port) throws IOException {
        return WebServers.serve("demo-web", port, exchange -> WebServers.answer(exchange, 200, "ok\n"));
    }
}
