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
 * (webhook, incident, event) deliveries are settled (delivered or failed for good), and from which
 * collector journal index each webhook receives incidents. Read in full when opened; the one owner of
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

    /** The journal index after which {@code webhook} receives incidents, if it was ever configured. */
    OptionalLong subscribedAfter(String webhook) {
        Long index = subscriptions.get(webhook);
        return index == null ? OptionalLong.empty() : OptionalLong.of(index);
    }

    /** Records that {@code webhook} receives the incidents opened after journal index {@code afterIndex}. */
    void subscribe(String webhook, long afterIndex) {
        write(bytes -> {
            bytes.writeUnsignedByte(SUBSCRIBED);
            bytes.writeUtf8(webhook);
            bytes.writeLong(afterIndex);
        });
        subscriptions.put(webhook, afterIndex);
    }

    /** How the delivery of {@code eventId} to {@code webhook} was settled, if it was. */
    Optional<Settled> settled(String webhook, String eventId) {
        return Optional.ofNullable(settled.get(webhook + " " + eventId));
    }

    /**
     * The keys of the incidents whose opened event was delivered to {@code webhook} and whose resolved
     * event is not settled, sorted.
     */
    List<String> openedNotResolved(String webhook) {
        String prefix = webhook + " ";
        String opened = ":" + IncidentEventType.OPENED.label();
        String resolved = ":" + IncidentEventType.RESOLVED.label();
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

    /** Records that the delivery of {@code eventId} to {@code webhook} is settled. */
    void settle(String webhook, String eventId, Settled outcome) {
        write(bytes -> {
            bytes.writeUnsignedByte(SETTLED);
            bytes.writeUtf8(webhook);
            bytes.writeUtf8(eventId);
            bytes.writeUtf8(outcome.state().name());
            bytes.writeInt(outcome.attempts());
            bytes.writeUtf8(outcome.lastError().orElse(null));
        });
        settled.put(webhook + " " + eventId, outcome);
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
            String webhook = bytes.readUtf8();
            subscriptions.put(webhook, bytes.readLong());
        } else if (type == SETTLED) {
            String webhook = bytes.readUtf8();
            String eventId = bytes.readUtf8();
            DeliveryState state = DeliveryState.valueOf(bytes.readUtf8());
            int attempts = bytes.readInt();
            Optional<String> lastError = Optional.ofNullable(bytes.readUtf8());
            settled.put(webhook + " " + eventId, new Settled(state, attempts, lastError));
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
