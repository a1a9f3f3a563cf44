package dev.vigil.collector.journal;

import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's journal: every accepted sample and gap notice, in the order accepted, in a
 * Chronicle Queue under {@code <data_dir>/journal} that rolls daily. The one owner of that queue,
 * which it closes. Use it on one thread only (see the package documentation).
 *
 * <p>Entry layout, format u8 = 2 first:
 * <pre>
 * sample: format, kind u8 = 1, agent (UTF-8, stop-bit length), epoch i64, agent index i64,
 *         received epoch millis i64, sample length i32, sample bytes ({@link SampleCodec})
 * gap:    format, kind u8 = 2, agent, epoch i64, received epoch millis i64, sequence i64, reason u8,
 *         samples i64, first index i64, last index i64, first scheduled i64, last scheduled i64
 * </pre>
 */
public final class CollectorJournal implements AutoCloseable {
    /** One file per UTC day: retention deletes whole days. */
    public static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;

    private static final Logger LOG = LoggerFactory.getLogger(CollectorJournal.class);
    private static final int FORMAT = 2;
    private static final int SAMPLE = 1;
    private static final int GAP = 2;

    /** Receives replayed entries in journal order. */
    public interface Replay {
        /** A sample entry. */
        void sample(JournalEntry entry);

        /** A gap entry. */
        void gap(GapEntry entry);

        /** A replay passing samples to {@code samples} and gaps to {@code gaps}. */
        static Replay of(Consumer<JournalEntry> samples, Consumer<GapEntry> gaps) {
            return new Replay() {
                @Override
                public void sample(JournalEntry entry) {
                    samples.accept(entry);
                }

                @Override
                public void gap(GapEntry entry) {
                    gaps.accept(entry);
                }
            };
        }
    }

    private final SingleChronicleQueue queue;
    private final Path directory;
    private final ByteBuffer encoded = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);
    private ExcerptAppender appender;
    private ExcerptTailer replayTailer;
    private boolean replayDone;
    private long entries;

    private CollectorJournal(SingleChronicleQueue queue, Path directory) {
        this.queue = queue;
        this.directory = directory;
    }

    /** Opens (creating if needed) the journal in {@code directory}. */
    public static CollectorJournal open(Path directory) {
        return open(directory, SystemTimeProvider.INSTANCE);
    }

    /** Opens the journal with {@code clock} deciding which day's file an append goes to (tests). */
    static CollectorJournal open(Path directory, TimeProvider clock) {
        return new CollectorJournal(SingleChronicleQueueBuilder.binary(directory).rollCycle(ROLL_CYCLE)
                .timeProvider(clock).build(), directory);
    }

    /**
     * Appends one sample. When this returns, the entry is in the memory-mapped queue file: it
     * survives the process being killed, not the machine losing power.
     */
    public JournalEntry append(String agent, long epoch, long agentIndex, long receivedEpochMillis, Sample sample) {
        Objects.requireNonNull(agent, "agent");
        encoded.clear();
        SampleCodec.write(sample, encoded);
        try (DocumentContext context = appender().writingDocument()) {
            Bytes<?> bytes = context.wire().bytes();
            bytes.writeUnsignedByte(FORMAT);
            bytes.writeUnsignedByte(SAMPLE);
            bytes.writeUtf8(agent);
            bytes.writeLong(epoch);
            bytes.writeLong(agentIndex);
            bytes.writeLong(receivedEpochMillis);
            bytes.writeInt(encoded.position());
            bytes.write(encoded.array(), 0, encoded.position());
        }
        entries++;
        return new JournalEntry(appender.lastIndexAppended(), agent, epoch, agentIndex, receivedEpochMillis, sample);
    }

    /** Appends one gap notice; durable as {@link #append} is. */
    public GapEntry appendGap(String agent, long epoch, long receivedEpochMillis, Gap gap) {
        Objects.requireNonNull(agent, "agent");
        try (DocumentContext context = appender().writingDocument()) {
            Bytes<?> bytes = context.wire().bytes();
            bytes.writeUnsignedByte(FORMAT);
            bytes.writeUnsignedByte(GAP);
            bytes.writeUtf8(agent);
            bytes.writeLong(epoch);
            bytes.writeLong(receivedEpochMillis);
            bytes.writeLong(gap.sequence());
            bytes.writeUnsignedByte(gap.reason().code());
            bytes.writeLong(gap.samples());
            bytes.writeLong(gap.firstIndex());
            bytes.writeLong(gap.lastIndex());
            bytes.writeLong(gap.firstScheduledMillis());
            bytes.writeLong(gap.lastScheduledMillis());
        }
        entries++;
        return new GapEntry(appender.lastIndexAppended(), agent, epoch, receivedEpochMillis, gap);
    }

    private ExcerptAppender appender() {
        if (appender == null) {
            appender = queue.createAppender();
        }
        return appender;
    }

    /**
     * Reads up to {@code maxEntries} further entries from the start of the journal, in order, passing
     * each to {@code replay}. Call it again until it returns 0; then the whole journal as it stood
     * has been read, and appends may begin.
     *
     * @return the number of entries read by this call
     * @throws IllegalStateException when an entry cannot be decoded (a corrupt journal is not skipped)
     */
    public int replay(int maxEntries, Replay replay) {
        if (replayDone) {
            return 0;
        }
        if (replayTailer == null) {
            replayTailer = queue.createTailer();
        }
        int read = 0;
        while (read < maxEntries) {
            Object entry;
            try (DocumentContext context = replayTailer.readingDocument()) {
                if (!context.isPresent()) {
                    replayDone = true;
                    replayTailer.close();
                    replayTailer = null;
                    break;
                }
                entry = decode(context.index(), context.wire().bytes());
            }
            if (entry instanceof JournalEntry sample) {
                replay.sample(sample);
            } else {
                replay.gap((GapEntry) entry);
            }
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

    /** The directory holding the queue files. */
    public Path directory() {
        return directory;
    }

    /**
     * Deletes the files of the days that ended more than {@code retention} before
     * {@code nowEpochMillis}; never the current day's file, and nothing before the replay has finished.
     * Returns the deleted files.
     */
    public List<Path> deleteOlderThan(Duration retention, long nowEpochMillis) {
        if (!replayDone) {
            return List.of();
        }
        RollCycle rollCycle = queue.rollCycle();
        DateTimeFormatter names = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        long cutoffMillis = nowEpochMillis - retention.toMillis();
        int currentCycle = queue.cycle();
        List<Path> deleted = new ArrayList<>();
        File[] files = directory.toFile().listFiles((dir, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (files == null) {
            return deleted;
        }
        for (File file : files) {
            String name = file.getName();
            long startMillis;
            try {
                startMillis = names.parse(name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length()),
                        LocalDate::from).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                continue;
            }
            int cycle = (int) (startMillis / rollCycle.lengthInMillis());
            long endMillis = startMillis + rollCycle.lengthInMillis();
            if (cycle < currentCycle && endMillis <= cutoffMillis) {
                try {
                    Files.deleteIfExists(file.toPath());
                    deleted.add(file.toPath());
                } catch (IOException e) {
                    LOG.warn("Cannot delete expired journal file {}: {}", file, e.getMessage());
                }
            }
        }
        if (!deleted.isEmpty()) {
            queue.refreshDirectoryListing();
        }
        return deleted;
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

    private static Object decode(long index, Bytes<?> bytes) {
        int format = bytes.readUnsignedByte();
        if (format != FORMAT) {
            throw new IllegalStateException("journal entry " + Long.toHexString(index) + " has format " + format
                    + ", this collector reads " + FORMAT);
        }
        int kind = bytes.readUnsignedByte();
        try {
            String agent = bytes.readUtf8();
            long epoch = bytes.readLong();
            if (kind == SAMPLE) {
                long agentIndex = bytes.readLong();
                long received = bytes.readLong();
                int length = bytes.readInt();
                if (length < 0 || length > SampleCodec.MAX_ENCODED_BYTES || length > bytes.readRemaining()) {
                    throw new IllegalArgumentException("sample length " + length + " is out of range");
                }
                byte[] sampleBytes = new byte[length];
                bytes.read(sampleBytes);
                return new JournalEntry(index, agent, epoch, agentIndex, received,
                        SampleCodec.read(ByteBuffer.wrap(sampleBytes)));
            }
            if (kind == GAP) {
                long received = bytes.readLong();
                Gap gap = new Gap(bytes.readLong(), GapReason.ofCode(bytes.readUnsignedByte()), bytes.readLong(),
                        bytes.readLong(), bytes.readLong(), bytes.readLong(), bytes.readLong());
                return new GapEntry(index, agent, epoch, received, gap);
            }
            throw new IllegalArgumentException("unknown entry kind " + kind);
        } catch (ProtocolException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("journal entry " + Long.toHexString(index) + " is corrupt: "
                    + e.getMessage(), e);
        }
    }
}
