package dev.vigil.agent.journal;

import dev.vigil.agent.config.JournalRoll;
import dev.vigil.agent.config.JournalSettings;
import dev.vigil.config.DurableFile;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local journal of samples: a Chronicle Queue holding each sample as its
 * {@link SampleCodec} bytes, one excerpt per sample, addressed by the queue's index within the
 * journal's <em>epoch</em>. The one owner of the queue; {@link #close()} closes it.
 *
 * <p>The journal keeps its disk budget ({@link JournalSettings}): before an append would take its
 * files past {@code max_size}, or leave less than {@code min_free} on the file system, it deletes its
 * oldest cycle after recording the unacknowledged samples in it as a {@link GapReason#DISK_BUDGET}
 * gap; when only the current cycle is left, the sample is not journaled and recorded as a
 * {@link GapReason#NOT_JOURNALED} gap. Fully acknowledged cycles are deleted by {@link #settle}.
 *
 * <p>Files: the queue in the journal directory, its epoch in {@code <journal>/epoch}; the gap log
 * ({@value GapLog#FILE_NAME}) and the acknowledged position ({@value AckedPosition#FILE_NAME}) beside
 * the journal directory, in the agent's data directory, so that wiping the journal keeps them.
 */
public final class SampleJournal implements AutoCloseable {
    /** What {@link #append} returns for a sample it could not journal. */
    public static final long NOT_JOURNALED = -1;
    /** The name of the file holding the journal's epoch. */
    public static final String EPOCH_FILE = "epoch";

    private static final Logger LOG = LoggerFactory.getLogger(SampleJournal.class);
    private static final String LOCK_FILE = "journal.lock";
    // The smallest block Chronicle accepts (it raises anything smaller to this); the files grow in steps
    // of it, so the budget is kept to within about one step per file.
    private static final long BLOCK_BYTES = 128 << 10;
    // Chronicle's header per excerpt, rounded up.
    private static final int EXCERPT_OVERHEAD_BYTES = 8;
    private static final long USAGE_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SETTLE_INTERVAL_MILLIS = 1_000;

    private final SingleChronicleQueue queue;
    private final Path directory;
    private final FileLock ownership;
    private final JournalSettings settings;
    private final TimeProvider clock;
    private final RollCycle rollCycle;
    private final DateTimeFormatter cycleNames;
    private final Path epochFile;
    private final GapLog gaps;
    private final ByteBuffer encoded = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);
    private final FileStore fileStore;
    private volatile long epoch;
    private volatile LossListener lossListener = LossListener.NONE;
    private ExcerptAppender appender;
    private boolean notJournaledRun;
    // Disk usage as last listed, and what was appended since.
    private long listedBytes;
    private long usableBytes;
    private long appendedSinceListing;
    private long listedAtNanos;
    private boolean listingStale = true;
    private int lastAppendedCycle = Integer.MIN_VALUE;
    private volatile long journalBytes;
    // What the shipper has taken to send (or was acknowledged), and what the budget deleted.
    private long claimedThrough = -1;
    private long droppedThrough = -1;
    private long lastSettleMillis;
    private long lastSettledIndex = -2;

    private SampleJournal(SingleChronicleQueue queue, Path directory, FileLock ownership, JournalSettings settings,
            TimeProvider clock, Path epochFile, long epoch, GapLog gaps, FileStore fileStore) {
        this.queue = queue;
        this.directory = directory;
        this.ownership = ownership;
        this.settings = settings;
        this.clock = clock;
        this.rollCycle = queue.rollCycle();
        this.cycleNames = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        this.epochFile = epochFile;
        this.epoch = epoch;
        this.gaps = gaps;
        this.fileStore = fileStore;
    }

    /** Opens (creating if needed) the journal in {@code directory} with the default settings. */
    public static SampleJournal open(Path directory) {
        return open(directory, JournalSettings.DEFAULT);
    }

    /**
     * Opens (creating if needed) the journal in {@code directory}, taking an exclusive lock on it; the
     * reliability harness uses this to read a stopped agent's journal.
     *
     * @throws UncheckedIOException when another journal (this process or another) has it open, or its
     *                              epoch or gap log cannot be read or created
     */
    public static SampleJournal open(Path directory, JournalSettings settings) {
        return open(directory, settings, SystemTimeProvider.INSTANCE);
    }

    /**
     * Opens the journal with {@code clock} deciding which cycle an append goes to, when a cycle is old
     * enough to delete, and the epoch of a new journal (tests roll cycles with a set clock).
     */
    public static SampleJournal open(Path directory, JournalSettings settings, TimeProvider clock) {
        FileLock ownership = lock(directory);
        try {
            boolean hadFiles = hasQueueFiles(directory);
            Path epochFile = directory.resolve(EPOCH_FILE);
            Path dataDir = directory.toAbsolutePath().getParent();
            long epoch = loadOrCreateEpoch(epochFile, dataDir.resolve(AckedPosition.FILE_NAME), clock, hadFiles);
            GapLog gaps = GapLog.open(dataDir.resolve(GapLog.FILE_NAME), epoch);
            SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory.toFile())
                    .rollCycle(rollCycle(settings.roll()))
                    .blockSize(BLOCK_BYTES)
                    .timeProvider(clock)
                    .build();
            if (!queue.rollCycle().equals(rollCycle(settings.roll()))) {
                LOG.info("The journal {} keeps the roll cycle it was created with ({}), not the configured {}; "
                        + "delete the journal after it is shipped to change it", directory, queue.rollCycle(),
                        settings.roll().configName());
            }
            FileStore store;
            try {
                store = Files.getFileStore(directory);
            } catch (IOException e) {
                queue.close();
                throw new UncheckedIOException(e);
            }
            SampleJournal journal = new SampleJournal(queue, directory, ownership, settings, clock, epochFile, epoch,
                    gaps, store);
            journal.measure();
            return journal;
        } catch (RuntimeException e) {
            release(ownership);
            throw e;
        }
    }

    private static RollCycle rollCycle(JournalRoll roll) {
        return switch (roll) {
            case MINUTELY -> LegacyRollCycles.MINUTELY;
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
            case TEN_MINUTELY -> RollCycles.TEN_MINUTELY;
            case HALF_HOURLY -> RollCycles.HALF_HOURLY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
        };
    }

    private static boolean hasQueueFiles(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SingleChronicleQueue.SUFFIX)) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The journal's epoch, created with the journal: the current time in epoch milliseconds, or one
     * more than the epoch of the acknowledged position if that is not lower (a clock set back, or a
     * journal wiped and recreated within a millisecond).
     */
    private static long loadOrCreateEpoch(Path epochFile, Path ackedFile, TimeProvider clock, boolean hadFiles) {
        try {
            String text = Files.readString(epochFile, StandardCharsets.US_ASCII).trim();
            try {
                long epoch = Long.parseLong(text);
                if (epoch > 0) {
                    return epoch;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UncheckedIOException(new IOException("the journal epoch file " + epochFile + " holds '" + text
                    + "', not a positive number; restore it, or delete the journal directory to start a new epoch"));
        } catch (NoSuchFileException e) {
            long floor = new AckedPosition(ackedFile).load().map(AckedPosition.Mark::epoch).orElse(0L);
            long epoch = Math.max(clock.currentTimeMillis(), floor + 1);
            writeEpoch(epochFile, epoch);
            if (hadFiles) {
                LOG.info("The journal {} had no epoch (written by an older agent); it is now epoch {}",
                        epochFile.getParent(), epoch);
            } else {
                LOG.info("New journal {} with epoch {}", epochFile.getParent(), epoch);
            }
            return epoch;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the journal epoch " + epochFile + ": "
                    + e.getMessage(), e));
        }
    }

    private static void writeEpoch(Path epochFile, long epoch) {
        try {
            DurableFile.write(epochFile, epoch + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the journal epoch " + epochFile + ": "
                    + e.getMessage(), e));
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

    /** Tells the journal whom to tell about samples it loses (budget drops, samples it cannot journal). */
    public void onLoss(LossListener listener) {
        this.lossListener = listener;
    }

    /**
     * Appends {@code sample} and returns its journal index, or {@link #NOT_JOURNALED} when there is no
     * room for it within the disk budget even after dropping every cycle but the current one (the
     * sample is then recorded in a {@link GapReason#NOT_JOURNALED} gap and counted). Calls are
     * serialised; the agent makes all of them from its one journal thread ({@link JournalWriter}).
     *
     * @throws RuntimeException when Chronicle fails; the caller records the sample with {@link #notJournaled}
     */
    public synchronized long append(Sample sample) {
        if (appender == null) {
            appender = queue.createAppender();
            // Appends are serialised by this lock, which also hands the appender safely between threads.
            appender.singleThreadedCheckDisabled(true);
        }
        encoded.clear();
        SampleCodec.write(sample, encoded);
        long needed = encoded.position() + (long) EXCERPT_OVERHEAD_BYTES;
        if (!makeRoom(needed)) {
            recordNotJournaled(1, sample.scheduledEpochMillis(), sample.scheduledEpochMillis());
            return NOT_JOURNALED;
        }
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.write(encoded.array(), 0, encoded.position());
        }
        long index = appender.lastIndexAppended();
        appendedSinceListing += needed;
        journalBytes = listedBytes + appendedSinceListing;
        int cycle = rollCycle.toCycle(index);
        if (cycle != lastAppendedCycle) {
            // A new cycle file was created: its size is only known from the file system.
            listingStale = lastAppendedCycle != Integer.MIN_VALUE;
            lastAppendedCycle = cycle;
        }
        if (notJournaledRun) {
            gaps.endRun();
            notJournaledRun = false;
        }
        return index;
    }

    /**
     * Records {@code samples} samples scheduled between the two times (epoch milliseconds) that never got
     * into the journal (its thread was behind, or an append failed) as a {@link GapReason#NOT_JOURNALED}
     * gap; consecutive ones share a gap. Does not count them in the {@link LossListener}: the caller
     * did, under its own reason.
     */
    public synchronized void notJournaled(long samples, long firstScheduledMillis, long lastScheduledMillis) {
        gaps.notJournaled(samples, firstScheduledMillis, lastScheduledMillis);
        notJournaledRun = true;
    }

    private void recordNotJournaled(long samples, long firstScheduledMillis, long lastScheduledMillis) {
        notJournaled(samples, firstScheduledMillis, lastScheduledMillis);
        lossListener.lost(LossReason.NOT_JOURNALED, samples);
    }

    private synchronized void measure() {
        refreshUsage(true);
    }

    private boolean makeRoom(long needed) {
        refreshUsage(false);
        boolean warned = false;
        while (!fits(needed)) {
            if (!warned) {
                warned = true;
                LOG.debug("Journal {} at its budget: {} bytes used of {}, {} bytes free (min {})", directory,
                        listedBytes + appendedSinceListing, settings.maxBytes(), usableBytes - appendedSinceListing,
                        settings.minFreeBytes());
            }
            if (!dropOldestCycle()) {
                return false;
            }
            refreshUsage(true);
        }
        return true;
    }

    private boolean fits(long needed) {
        long used = listedBytes + appendedSinceListing + needed;
        long free = usableBytes - appendedSinceListing - needed;
        return used <= settings.maxBytes() && free >= settings.minFreeBytes();
    }

    // The file lengths and the free space are read at most every 100 ms (and after a roll or a deletion):
    // a statvfs per sample would cost more than the append. Between readings, appends are added up.
    private void refreshUsage(boolean force) {
        long now = System.nanoTime();
        if (!force && !listingStale && now - listedAtNanos < USAGE_REFRESH_NANOS) {
            return;
        }
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                try {
                    bytes += Files.size(file);
                } catch (IOException e) {
                    // deleted while listing
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the journal {}: {}", directory, e.getMessage());
        }
        long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            LOG.warn("Cannot read the free space of {}: {}", directory, e.getMessage());
            usable = usableBytes;
        }
        listedBytes = bytes;
        usableBytes = usable;
        appendedSinceListing = 0;
        listedAtNanos = now;
        listingStale = false;
        journalBytes = bytes;
    }

    private int currentCycle() {
        int last = queue.lastCycle();
        return Math.max(queue.cycle(), last == Integer.MIN_VALUE ? Integer.MIN_VALUE : last);
    }

    /** Deletes the oldest cycle unless it is the current one, recording its unacknowledged samples first. */
    private boolean dropOldestCycle() {
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE || first >= currentCycle()) {
            return false;
        }
        long count;
        long firstIndex = rollCycle.toIndex(first, 0);
        long from = Math.max(firstIndex, claimedThrough + 1);
        long lastIndex;
        long[] span = {-1, -1};
        try (ExcerptTailer tailer = queue.createTailer()) {
            count = tailer.excerptsInCycle(first);
            lastIndex = count > 0 ? rollCycle.toIndex(first, count - 1) : -1;
            if (count > 0 && from <= lastIndex) {
                span[0] = scheduledAt(tailer, from);
                span[1] = scheduledAt(tailer, lastIndex);
            }
        }
        Path file = cycleFile(first);
        if (count > 0 && from <= lastIndex) {
            long lost = lastIndex - from + 1;
            boolean known = span[0] != -1 && span[1] != -1 && span[0] <= span[1];
            gaps.record(GapReason.DISK_BUDGET, lost, from, lastIndex, known ? span[0] : -1, known ? span[1] : -1);
            LOG.warn("Journal {} reached its disk budget ({} bytes, {} bytes to leave free): deleted {} with {} "
                    + "unacknowledged samples (indexes {}..{}), recorded as a gap", directory, settings.maxBytes(),
                    settings.minFreeBytes(), file.getFileName(), lost, from, lastIndex);
            lossListener.lost(LossReason.DISK_BUDGET, lost);
        } else {
            LOG.info("Journal {} reached its disk budget: deleted {}, which was fully acknowledged", directory,
                    file.getFileName());
        }
        if (lastIndex >= 0) {
            droppedThrough = Math.max(droppedThrough, lastIndex);
        }
        delete(file);
        return true;
    }

    private static long scheduledAt(ExcerptTailer tailer, long index) {
        if (!tailer.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return -1;
            }
            Bytes<?> bytes = document.wire().bytes();
            byte[] raw = new byte[(int) bytes.readRemaining()];
            bytes.read(raw);
            return SampleCodec.read(ByteBuffer.wrap(raw)).scheduledEpochMillis();
        } catch (ProtocolException e) {
            return -1;
        }
    }

    private Path cycleFile(int cycle) {
        long startMillis = (long) cycle * rollCycle.lengthInMillis() + queue.epoch();
        return directory.resolve(cycleNames.format(Instant.ofEpochMilli(startMillis)) + SingleChronicleQueue.SUFFIX);
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete journal file {}: {}", file, e.getMessage());
        }
        queue.refreshDirectoryListing();
        listingStale = true;
    }

    /**
     * Hands the shipper the samples it read through journal index {@code throughIndex}: from now on the
     * budget counts them as the shipper's, not as lost. Returns the highest index the budget already
     * deleted and recorded as a gap: the shipper must not send samples at or below it, or they would
     * be counted twice.
     */
    public synchronized long claim(long throughIndex) {
        claimedThrough = Math.max(claimedThrough, throughIndex);
        return droppedThrough;
    }

    /** The highest index the budget deleted and recorded as a gap, or -1. */
    public synchronized long droppedThrough() {
        return droppedThrough;
    }

    /**
     * The collector holds every sample up to {@code ackedIndex} of this epoch: deletes the cycles that
     * are fully acknowledged and ended more than {@code retain_acked} ago, never the current one.
     * Cheap to call often: it looks at the files at most once a second unless the index moved. Returns
     * the deleted files.
     */
    public synchronized List<Path> settle(long ackedIndex) {
        claimedThrough = Math.max(claimedThrough, ackedIndex);
        long now = clock.currentTimeMillis();
        if (ackedIndex == lastSettledIndex && now - lastSettleMillis < SETTLE_INTERVAL_MILLIS) {
            return List.of();
        }
        lastSettledIndex = ackedIndex;
        lastSettleMillis = now;
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        int current = currentCycle();
        if (first == Integer.MAX_VALUE || first >= current) {
            return List.of();
        }
        int upper = Math.min(queue.lastCycle(), current - 1);
        if (upper < first) {
            return List.of();
        }
        List<Path> deleted = new ArrayList<>();
        // Both ends must be existing cycles for Chronicle.
        NavigableSet<Long> cycles = queue.listCyclesBetween(first, upper);
        try (ExcerptTailer tailer = queue.createTailer()) {
            for (long value : cycles) {
                int cycle = (int) value;
                long count = tailer.excerptsInCycle(cycle);
                boolean acknowledged = count <= 0 || rollCycle.toIndex(cycle, count - 1) <= ackedIndex;
                long endMillis = (long) (cycle + 1) * rollCycle.lengthInMillis() + queue.epoch();
                if (!acknowledged || endMillis > now - settings.retainAcked().toMillis()) {
                    break;
                }
                Path file = cycleFile(cycle);
                deleted.add(file);
            }
        }
        for (Path file : deleted) {
            delete(file);
        }
        return deleted;
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

    /** Whether the journal holds an excerpt at {@code index}. */
    public boolean contains(long index) {
        if (index < 0) {
            return false;
        }
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (!tailer.moveToIndex(index)) {
                return false;
            }
            try (DocumentContext document = tailer.readingDocument()) {
                boolean present = document.isPresent() && document.index() == index;
                document.rollbackOnClose();
                return present;
            }
        }
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

    /** The journal's epoch: its indexes are unique within it. */
    public long epoch() {
        return epoch;
    }

    /**
     * Starts a new epoch, greater than the current one and not below the current time in epoch
     * milliseconds, for when the journal's indexes can no longer be trusted to be new to the collector.
     * Pending gaps move into it ({@link GapLog}). Returns it.
     */
    public synchronized long newEpoch() {
        long next = Math.max(clock.currentTimeMillis(), epoch + 1);
        writeEpoch(epochFile, next);
        epoch = next;
        gaps.useEpoch(next);
        return next;
    }

    /** The gap log of this journal's data directory. */
    public GapLog gaps() {
        return gaps;
    }

    /** The acknowledged position kept beside this journal, in the agent's data directory. */
    public AckedPosition ackedPosition() {
        return new AckedPosition(directory.toAbsolutePath().getParent().resolve(AckedPosition.FILE_NAME));
    }

    /** The bytes the journal's files take, as last measured (at most ~100 ms old while appending). */
    public long bytes() {
        return journalBytes;
    }

    /** The settings the journal was opened with. */
    public JournalSettings settings() {
        return settings;
    }

    /** The length of one cycle of this journal, in milliseconds (the existing queue's, if it had one). */
    public long cycleMillis() {
        return rollCycle.lengthInMillis();
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
