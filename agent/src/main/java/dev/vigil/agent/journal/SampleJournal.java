package dev.vigil.agent.journal;

import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local journal of samples: a Chronicle Queue holding each sample as its
 * {@link SampleCodec} bytes, one excerpt per sample, addressed by the queue's index. The one owner
 * of the queue; {@link #close()} closes it.
 */
public final class SampleJournal implements AutoCloseable {
    /**
     * One file per UTC day: a few files cover days of buffering, a day holds far more samples than an
     * agent takes, and a fully shipped day is one file to delete.
     */
    public static final RollCycles ROLL_CYCLE = RollCycles.FAST_DAILY;

    private static final Logger LOG = LoggerFactory.getLogger(SampleJournal.class);
    private static final String LOCK_FILE = "journal.lock";
    private static final DateTimeFormatter CYCLE_NAMES = DateTimeFormatter.ofPattern(ROLL_CYCLE.format());

    private final SingleChronicleQueue queue;
    private final Path directory;
    private final FileLock ownership;
    private final ByteBuffer encoded = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);
    private ExcerptAppender appender;
    private volatile int deletedBeforeCycle = Integer.MIN_VALUE;

    private SampleJournal(SingleChronicleQueue queue, Path directory, FileLock ownership) {
        this.queue = queue;
        this.directory = directory;
        this.ownership = ownership;
    }

    /**
     * Opens (creating if needed) the journal in {@code directory}, taking an exclusive lock on it.
     *
     * @throws UncheckedIOException when another journal (this process or another) has it open
     */
    public static SampleJournal open(Path directory) {
        return open(directory, SystemTimeProvider.INSTANCE);
    }

    /** Opens the journal with {@code clock} deciding which day's file an append goes to (tests). */
    static SampleJournal open(Path directory, TimeProvider clock) {
        FileLock ownership = lock(directory);
        try {
            SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory.toFile())
                    .rollCycle(ROLL_CYCLE)
                    .timeProvider(clock)
                    .build();
            return new SampleJournal(queue, directory, ownership);
        } catch (RuntimeException e) {
            release(ownership);
            throw e;
        }
    }

    // Chronicle lets any number of processes share a queue; two agents on one journal would ship each
    // other's samples and delete each other's files, so the journal takes an exclusive lock first.
    private static FileLock lock(Path directory) {
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // Held by this JVM: another open journal on the same directory.
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(
                    new IOException("cannot lock the journal " + directory + ": " + e.getMessage(), e));
        }
        closeQuietly(channel);
        throw new UncheckedIOException(new IOException("the journal " + directory
                + " is in use by another agent (" + lockFile + " is locked)"));
    }

    private static void release(FileLock lock) {
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Cannot close the journal lock file: {}", e.getMessage());
        }
    }

    /**
     * Appends {@code sample} and returns its journal index. Calls are serialised; the agent makes all
     * of them from its one journal thread ({@link JournalWriter}).
     */
    public synchronized long append(Sample sample) {
        if (appender == null) {
            appender = queue.createAppender();
            // Appends are serialised by this lock, which also hands the appender safely between threads.
            appender.singleThreadedCheckDisabled(true);
        }
        encoded.clear();
        SampleCodec.write(sample, encoded);
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.write(encoded.array(), 0, encoded.position());
        }
        return appender.lastIndexAppended();
    }

    /** A new reader positioned at the oldest sample; use it from one thread only. */
    public JournalReader reader() {
        return new JournalReader(queue.createTailer(), directory);
    }

    /** The index of the newest sample, or -1 when the journal is empty. */
    public long lastIndex() {
        long last = queue.lastIndex();
        return last < 0 || last == Long.MAX_VALUE ? -1 : last;
    }

    /** The index of the oldest sample still in the journal, or -1 when the journal is empty. */
    public long firstIndex() {
        long first = queue.firstIndex();
        return first < 0 || first == Long.MAX_VALUE ? -1 : first;
    }

    /** How many samples lie after journal index {@code index} (-1 = all of them). */
    public long countAfter(long index) {
        long last = lastIndex();
        if (last < 0 || index >= last) {
            return 0;
        }
        long first = queue.firstIndex();
        if (index < first) {
            return queue.countExcerpts(first, last) + 1;
        }
        // countExcerpts counts from its first index up to, not including, its last.
        return queue.countExcerpts(index, last);
    }

    /**
     * Deletes the files of the days before the day holding journal index {@code index}: every sample
     * in them lies before {@code index}. The shipper calls this with the acknowledged index, so only
     * delivered samples go; the current day's file is never touched. Returns the deleted files.
     */
    public List<Path> deleteFilesBefore(long index) {
        int keepFromCycle = ROLL_CYCLE.toCycle(index);
        if (index < 0 || keepFromCycle <= deletedBeforeCycle) {
            return List.of();
        }
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SingleChronicleQueue.SUFFIX)) {
            for (Path file : files) {
                Integer cycle = cycleOf(file);
                if (cycle != null && cycle < keepFromCycle) {
                    Files.deleteIfExists(file);
                    deleted.add(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete acknowledged journal files in {}: {}", directory, e.getMessage());
            return deleted;
        }
        deletedBeforeCycle = keepFromCycle;
        if (!deleted.isEmpty()) {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    // File names are the cycle's UTC date in the roll cycle's format, e.g. 20261126F.cq4.
    private static Integer cycleOf(Path file) {
        String name = file.getFileName().toString();
        String date = name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length());
        try {
            long epochMillis = CYCLE_NAMES.parse(date, LocalDate::from)
                    .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return (int) (epochMillis / ROLL_CYCLE.lengthInMillis());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The directory holding the queue files. */
    public Path directory() {
        return directory;
    }

    /** Closes the queue and releases the journal's lock; appends and readers fail afterwards. */
    @Override
    public synchronized void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
        release(ownership);
    }
}
