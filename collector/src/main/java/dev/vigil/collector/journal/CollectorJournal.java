package dev.vigil.collector.journal;

import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The collector's journal: every accepted sample, in the order accepted, in a Chronicle Queue under
 * {@code <data_dir>/journal}. The one owner of that queue, which it closes. Use it on one thread
 * only (see the package documentation).
 *
 * <p>Entry layout: format u8 = 1, agent (UTF-8 with stop-bit length), agent index i64, received epoch
 * millis i64, sample length i32, sample bytes as {@link SampleCodec}.
 */
public final class CollectorJournal implements AutoCloseable {
    private static final int FORMAT = 1;

    private final ChronicleQueue queue;
    private final ByteBuffer encoded = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);
    private ExcerptAppender appender;
    private ExcerptTailer replayTailer;
    private boolean replayDone;
    private long entries;

    private CollectorJournal(ChronicleQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating if needed) the journal in {@code directory}. */
    public static CollectorJournal open(Path directory) {
        return new CollectorJournal(SingleChronicleQueueBuilder.binary(directory).build());
    }

    /**
     * Appends one sample. When this returns, the entry is in the memory-mapped queue file: it
     * survives the process being killed, not the machine losing power.
     */
    public JournalEntry append(String agent, long agentIndex, long receivedEpochMillis, Sample sample) {
        Objects.requireNonNull(agent, "agent");
        encoded.clear();
        SampleCodec.write(sample, encoded);
        if (appender == null) {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument()) {
            Bytes<?> bytes = context.wire().bytes();
            bytes.writeUnsignedByte(FORMAT);
            bytes.writeUtf8(agent);
            bytes.writeLong(agentIndex);
            bytes.writeLong(receivedEpochMillis);
            bytes.writeInt(encoded.position());
            bytes.write(encoded.array(), 0, encoded.position());
        }
        entries++;
        return new JournalEntry(appender.lastIndexAppended(), agent, agentIndex, receivedEpochMillis, sample);
    }

    /**
     * Reads up to {@code maxEntries} further entries from the start of the journal, in order, passing
     * each to {@code consumer}. Call it again until it returns 0; then the whole journal as it stood
     * has been read, and appends may begin.
     *
     * @return the number of entries read by this call
     * @throws IllegalStateException when an entry cannot be decoded (a corrupt journal is not skipped)
     */
    public int replay(int maxEntries, Consumer<JournalEntry> consumer) {
        if (replayDone) {
            return 0;
        }
        if (replayTailer == null) {
            replayTailer = queue.createTailer();
        }
        int read = 0;
        while (read < maxEntries) {
            JournalEntry entry;
            try (DocumentContext context = replayTailer.readingDocument()) {
                if (!context.isPresent()) {
                    replayDone = true;
                    replayTailer.close();
                    replayTailer = null;
                    break;
                }
                entry = decode(context.index(), context.wire().bytes());
            }
            consumer.accept(entry);
            read++;
            entries++;
        }
        return read;
    }

    /** The index of the last entry in the journal, or -1 when it is empty. */
    public long lastIndex() {
        long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    /** The number of entries replayed and appended since this journal was opened. */
    public long entries() {
        return entries;
    }

    @Override
    public void close() {
        if (replayTailer != null) {
            replayTailer.close();
        }
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }

    private static JournalEntry decode(long index, Bytes<?> bytes) {
        int format = bytes.readUnsignedByte();
        if (format != FORMAT) {
            throw new IllegalStateException("journal entry " + Long.toHexString(index) + " has format " + format
                    + ", this collector reads " + FORMAT);
        }
        String agent = bytes.readUtf8();
        long agentIndex = bytes.readLong();
        long received = bytes.readLong();
        byte[] sampleBytes = new byte[bytes.readInt()];
        bytes.read(sampleBytes);
        try {
            return new JournalEntry(index, agent, agentIndex, received, SampleCodec.read(ByteBuffer.wrap(sampleBytes)));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new IllegalStateException("journal entry " + Long.toHexString(index) + " is corrupt: "
                    + e.getMessage(), e);
        }
    }
}
