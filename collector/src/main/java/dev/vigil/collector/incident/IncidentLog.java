package dev.vigil.collector.incident;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The durable record of what the collector journal cannot replay: incidents opened from burn rates,
 * spent budgets and Alertmanager alerts, and acknowledgements. Each change appends the incident's whole
 * state as JSON to a Chronicle Queue under {@code <data_dir>/incidents}; reading keeps the last state per
 * key. The one owner of its queue; used on the collector verticle's event loop only.
 */
public final class IncidentLog implements AutoCloseable {
    private final ChronicleQueue queue;
    private final Map<String, Incident> latest = new LinkedHashMap<>();
    private ExcerptAppender appender;

    private IncidentLog(ChronicleQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating if needed) the log in {@code directory} and reads it. */
    public static IncidentLog open(Path directory) {
        IncidentLog log = new IncidentLog(SingleChronicleQueueBuilder.binary(directory).build());
        try (ExcerptTailer tailer = log.queue.createTailer()) {
            while (true) {
                try (DocumentContext context = tailer.readingDocument()) {
                    if (!context.isPresent()) {
                        break;
                    }
                    Incident incident = Incident.fromJson(new JsonObject(context.wire().bytes().readUtf8()));
                    log.latest.put(incident.key(), incident);
                }
            }
        }
        return log;
    }

    /** The last recorded state of every incident the log holds, in the order they were first recorded. */
    public Map<String, Incident> incidents() {
        return java.util.Collections.unmodifiableMap(latest);
    }

    /** Appends {@code incident}'s current state. */
    public void record(Incident incident) {
        if (appender == null) {
            appender = queue.createAppender();
        }
        String json = incident.toJson(java.util.OptionalLong.empty()).encode();
        try (DocumentContext context = appender.writingDocument()) {
            context.wire().bytes().writeUtf8(json);
        }
        latest.put(incident.key(), incident);
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }
}
