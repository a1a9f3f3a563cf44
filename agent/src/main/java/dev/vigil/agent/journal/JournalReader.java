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
 * Reads samples from a {@link SampleJournal} in index order with its own Chronicle tailer. Confined
 * to the thread that uses it; it keeps no position on disk (the shipper stores the acknowledged
 * position itself).
 */
public final class JournalReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    private final ExcerptTailer tailer;
    private final Path directory;
    private byte[] buffer = new byte[1024];

    JournalReader(ExcerptTailer tailer, Path directory) {
        this.tailer = tailer;
        this.directory = directory;
    }

    /**
     * Positions the reader just after journal index {@code index}, so the next read returns the
     * sample after it; -1 means before the oldest sample. Returns false, leaving the reader at the
     * oldest sample still in the journal, when {@code index} is not in the journal (its file was
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
     * Appends up to {@code max} samples after the current position to {@code into}, in index order,
     * and returns how many. An excerpt that is not a sample is logged and skipped.
     */
    public int read(int max, List<SampleRecord> into) {
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
                try {
                    into.add(new SampleRecord(index, SampleCodec.read(ByteBuffer.wrap(buffer, 0, length))));
                    read++;
                } catch (ProtocolException e) {
                    LOG.warn("Skipping journal entry {} in {}: not a sample ({})", index, directory, e.getMessage());
                }
            }
        }
        return read;
    }

    /** Closes the tailer. */
    @Override
    public void close() {
        tailer.close();
    }
}
