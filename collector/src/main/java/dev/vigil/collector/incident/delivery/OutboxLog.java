package dev.vigil.collector.incident.delivery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The outbox's durable memory, an append-only Chronicle Queue under {@code <data_dir>/outbox}: which
 * (sink, incident, event) deliveries are settled (delivered or failed for good), and from which
 * collector journal index each sink receives incidents. Read in full when opened; the one owner of
 * its queue. Used on the collector verticle's thread only, like the journal.
 */
final class OutboxLog implements AutoCloseable {
    private static final int SUBSCRIBED = 1;
    private static final int SETTLED = 2;

    /** A settled delivery as recorded. */
    record Settled(DeliveryState state, int attempts, Optional<String> lastError) {
    }

    private final ChronicleQueue queue;
    private final Map<String, Long> subscriptions = new HashMap<>();
    private final Map<String, Settled> settled = new HashMap<>();
    private ExcerptAppender appender;

    private OutboxLog(ChronicleQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating if needed) the log in {@code directory} and reads it. */
    static OutboxLog open(Path directory) {
        OutboxLog log = new OutboxLog(SingleChronicleQueueBuilder.binary(directory).build());
        try (ExcerptTailer tailer = log.queue.createTailer()) {
            while (true) {
                try (DocumentContext context = tailer.readingDocument()) {
                    if (!context.isPresent()) {
                        break;
                    }
                    log.read(context.wire().bytes());
                }
            }
        }
        return log;
    }

    /** The journal index after which {@code sink} receives incidents, if it was ever configured. */
    OptionalLong subscribedAfter(String sink) {
        Long index = subscriptions.get(sink);
        return index == null ? OptionalLong.empty() : OptionalLong.of(index);
    }

    /** Records that {@code sink} receives the incidents opened after journal index {@code afterIndex}. */
    void subscribe(String sink, long afterIndex) {
        write(bytes -> {
            bytes.writeUnsignedByte(SUBSCRIBED);
            bytes.writeUtf8(sink);
            bytes.writeLong(afterIndex);
        });
        subscriptions.put(sink, afterIndex);
    }

    /** How the delivery of {@code eventId} to {@code sink} was settled, if it was. */
    Optional<Settled> settled(String sink, String eventId) {
        return Optional.ofNullable(settled.get(sink + " " + eventId));
    }

    /**
     * The keys of the incidents whose opened event was delivered to {@code sink} and whose resolved
     * event is not settled, sorted.
     */
    List<String> openedNotResolved(String sink) {
        String prefix = sink + " ";
        String opened = ":" + dev.vigil.collector.incident.IncidentEventType.OPENED.label();
        String resolved = ":" + dev.vigil.collector.incident.IncidentEventType.RESOLVED.label();
        List<String> keys = new ArrayList<>();
        settled.forEach((id, outcome) -> {
            if (id.startsWith(prefix) && id.endsWith(opened) && outcome.state() == DeliveryState.DELIVERED) {
                String key = id.substring(prefix.length(), id.length() - opened.length());
                if (!settled.containsKey(prefix + key + resolved)) {
                    keys.add(key);
                }
            }
        });
        Collections.sort(keys);
        return keys;
    }

    /** Records that the delivery of {@code eventId} to {@code sink} is settled. */
    void settle(String sink, String eventId, Settled outcome) {
        write(bytes -> {
            bytes.writeUnsignedByte(SETTLED);
            bytes.writeUtf8(sink);
            bytes.writeUtf8(eventId);
            bytes.writeUtf8(outcome.state().name());
            bytes.writeInt(outcome.attempts());
            bytes.writeUtf8(outcome.lastError().orElse(null));
        });
        settled.put(sink + " " + eventId, outcome);
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }

    private void read(Bytes<?> bytes) {
        int type = bytes.readUnsignedByte();
        if (type == SUBSCRIBED) {
            String sink = bytes.readUtf8();
            subscriptions.put(sink, bytes.readLong());
        } else if (type == SETTLED) {
            String sink = bytes.readUtf8();
            String eventId = bytes.readUtf8();
            DeliveryState state = DeliveryState.valueOf(bytes.readUtf8());
            int attempts = bytes.readInt();
            Optional<String> lastError = Optional.ofNullable(bytes.readUtf8());
            settled.put(sink + " " + eventId, new Settled(state, attempts, lastError));
        } else {
            throw new IllegalStateException("unknown outbox record type " + type);
        }
    }

    private void write(Consumer<Bytes<?>> writer) {
        if (appender == null) {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument()) {
            writer.accept(context.wire().bytes());
        }
    }
}
