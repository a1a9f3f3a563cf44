package dev.vigil.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook receiver that appends every incident event it receives, one JSON document a line, to a
 * log file. Like any receiver of at-least-once deliveries it deduplicates by {@code webhook-id}: a
 * redelivery (the collector retries when it cannot tell an event arrived) is acknowledged and logged
 * as such, but not written twice.
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
        Set<String> seen = new HashSet<>();
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
            if (webhookId == null || webhookId.isBlank()) {
                WebServers.respond(exchange, 400, "missing webhook-id header\n");
                return;
            }
            boolean first;
            synchronized (seen) {
                first = seen.add(webhookId);
                if (first) {
                    Files.writeString(logFile, body.replace('\n', ' ') + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            if (first) {
                LOG.info("incident event {} logged", webhookId);
            } else {
                LOG.info("incident event {} delivered again; already logged", webhookId);
            }
            WebServers.respond(exchange, 200, "logged\n");
        });
    }
}
