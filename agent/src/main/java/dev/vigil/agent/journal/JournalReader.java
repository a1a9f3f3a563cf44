package dev.vigil.agent.journal;

import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.SampleCodec;
import dev.vigil.protocol.SampleRecord;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link SampleJournal} in index order with its own Chronicle tailer: every excerpt, as a
 * decoded sample with its raw journal index, or, when it does not decode, as an unreadable index
 * reported to the caller. Confined to the thread that uses it; it keeps no position on disk (the
 * shipper stores the acknowledged position itself).
 */
public final class JournalReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    /** Hears about an excerpt that is not a sample. */
    @FunctionalInterface
    public interface UnreadableListener {
        /** The excerpt at journal index {@code index} could not be decoded; {@code why} says how. */
        void unreadable(long index, String why);
    }

    private final ExcerptTailer tailer;
    private final Path directory;
    private byte[] buffer = new byte[1024];

    JournalReader(ExcerptTailer tailer, Path directory) {
        this.tailer = tailer;
        this.directory = directory;
    }

    /**
     * Positions the reader just after journal index {@code index}, so the next read returns the
     * excerpt after it; -1 means before the oldest one. Returns false, leaving the reader at the
     * oldest excerpt still in the journal, when {@code index} is not in the journal (its file was
     * removed, or the journal was replaced).
     */
    public boolean seekAfter(long index) {
        if (index < 0) {
            tailer.toStart();
            return true;
        }
        if (!tailer.moveToIndex(index)) {
            tailer.toStart();
            return false;
        }
        try (DocumentContext document = tailer.readingDocument()) {
            if (document.isPresent() && document.index() == index) {
                return true;
            }
            document.rollbackOnClose();
        }
        tailer.toStart();
        return false;
    }

    /**
     * Reads up to {@code max} excerpts after the current position, in index order: samples are appended
     * to {@code into}, excerpts that are not samples are reported to {@code unreadable} (they count
     * towards {@code max}). Returns how many excerpts were read.
     */
    public int read(int max, List<SampleRecord> into, UnreadableListener unreadable) {
        int read = 0;
        while (read < max) {
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    break;
                }
                long index = document.index();
                Bytes<?> bytes = document.wire().bytes();
                int length = (int) bytes.readRemaining();
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                bytes.read(buffer, 0, length);
                read++;
                try {
                    into.add(new SampleRecord(index, SampleCodec.read(ByteBuffer.wrap(buffer, 0, length))));
                } catch (ProtocolException | IllegalArgumentException e) {
                    unreadable.unreadable(index, e.getMessage());
                }
            }
        }
        return read;
    }

    /**
     * Reads up to {@code max} samples as {@link #read(int, List, UnreadableListener)} does, logging each
     * unreadable excerpt at WARN; for readers that only inspect a journal (tests, the reliability
     * harness). Returns how many excerpts were read.
     */
    public int read(int max, List<SampleRecord> into) {
        return read(max, into, (index, why) -> LOG.warn("Journal entry {} in {} is not a sample ({})", index,
                directory, why));
    }

    /** Closes the tailer. */
    @Override
    public void close() {
        tailer.close();
    }
}
