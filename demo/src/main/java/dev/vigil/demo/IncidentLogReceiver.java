package dev.vigil.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook receiver that appends every incident event it receives, one JSON document a line, to a
 * log file, and logs a one-line summary with its {@code webhook-id}.
 */
final class IncidentLogReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentLogReceiver.class);

    private IncidentLogReceiver() {
    }

    static AutoCloseable start(int port, Path logFile) throws IOException {
        Path parent = logFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Object lock = new Object();
        return WebServers.serve("demo-incident-log", port, exchange -> {
            if (!exchange.getRequestMethod().equals("POST")) {
                WebServers.answer(exchange, 405, "POST incident events here\n");
                return;
            }
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
            String line = body.replace('\n', ' ') + System.lineSeparator();
            synchronized (lock) {
                Files.writeString(logFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            LOG.info("incident event {} received ({} bytes)", webhookId, body.length());
            WebServers.answer(exchange, 200, "logged\n");
        });
    }
}
