package dev.vigil.agent.ship;

import dev.vigil.agent.journal.AckedPosition;
import dev.vigil.agent.journal.InstanceId;
import dev.vigil.agent.journal.JournalReader;
import dev.vigil.agent.journal.LossReason;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Rejection;
import dev.vigil.protocol.SampleRecord;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the journal to the collector: reads samples after the acknowledged position, posts them with
 * the journal's epoch, the agent's instance id and the pending gaps, and moves and persists the
 * acknowledged position only as far as the collector's cumulative ack settles them. Everything read
 * stays in memory until settled and is sent again after any failure, so a sample is delivered at
 * least once and, since the collector ignores journal indexes it already holds, counted exactly once.
 *
 * <p>Runs on its own thread ({@code vigil-shipper}), which owns the journal reader and blocks only
 * itself; its HTTP connection borrows an event loop of the given group.
 */
public final class Shipper implements AutoCloseable {
    /**
     * The most samples per request while a large backlog drains (after an outage); measured against the
     * real collector, larger batches stop paying (see docs/journal.md).
     */
    public static final int DRAIN_BATCH_SIZE = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_LOGGED_REJECTIONS = 5;

    private final SampleJournal journal;
    private final AckedPosition ackedPosition;
    private final UUID instance;
    private final ShipperSettings settings;
    private final ShipListener listener;
    private final CollectorClient client;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Object work = new Object();
    private boolean workSignalled;
    private volatile long ackedIndex = -1;
    private volatile long backlog;
    private long resumeAfter = -1;
    private int failuresInARow;
    // Read but not yet settled, in index order; sent again until an ack settles them.
    private final Deque<Item> unsent = new ArrayDeque<>();
    // The most records per request: halved on 413 for good, and while bisecting a 400.
    private int sizeCap = Integer.MAX_VALUE;
    private int bisectCap = Integer.MAX_VALUE;

    /** A journal entry read and not yet settled: a sample to send, or an index whose loss is a gap. */
    private record Item(long index, SampleRecord record, long gapSequence) {
        static Item sample(SampleRecord record) {
            return new Item(record.journalIndex(), record, -1);
        }

        static Item lost(long index, long gapSequence) {
            return new Item(index, null, gapSequence);
        }
    }

    /**
     * A shipper for {@code journal} that persists its acknowledged position in
     * {@code ackedPositionFile} and sends the instance id kept beside it (created if needed); see
     * {@link #Shipper(SampleJournal, Path, UUID, ShipperSettings, EventLoopGroup, ShipListener)}.
     */
    public Shipper(SampleJournal journal, Path ackedPositionFile, ShipperSettings settings, EventLoopGroup group,
            ShipListener listener) {
        this(journal, ackedPositionFile, InstanceId.loadOrCreate(ackedPositionFile.toAbsolutePath().getParent()),
                settings, group, listener);
    }

    /**
     * A shipper for {@code journal} that persists its acknowledged position in
     * {@code ackedPositionFile}, sends {@code instance} as the agent's instance id, posts with
     * {@code settings} over a connection on {@code group}, and reports to {@code listener}. Nothing
     * happens until {@link #start()}.
     */
    public Shipper(SampleJournal journal, Path ackedPositionFile, UUID instance, ShipperSettings settings,
            EventLoopGroup group, ShipListener listener) {
        this.journal = journal;
        this.ackedPosition = new AckedPosition(ackedPositionFile);
        this.instance = instance;
        this.settings = settings;
        this.listener = listener;
        this.client = new CollectorClient(group, settings);
        this.thread = new Thread(this::run, "vigil-shipper");
    }

    /**
     * Checks the persisted acknowledged position against the journal (see {@link #resume()}), then
     * starts shipping on the shipper's thread. The check runs on the caller's thread, so that the
     * journal knows what was delivered before it appends (and perhaps drops) anything.
     */
    public void start() {
        resume();
        thread.start();
    }

    /** Tells the shipper that new samples are in the journal; never blocks. */
    public void wakeUp() {
        synchronized (work) {
            workSignalled = true;
            work.notifyAll();
        }
    }

    /** The highest journal index of the journal's epoch the collector has settled, or -1. */
    public long ackedIndex() {
        return ackedIndex;
    }

    /**
     * Whether the shipper's thread is alive. False before {@link #start()}, after {@link #close()}, and
     * if the thread died of an {@link Error}; {@code /healthz} reports the agent degraded then.
     */
    public boolean running() {
        return thread.isAlive();
    }

    /** How many journaled samples were not acknowledged yet, as last counted by the shipper. */
    public long backlog() {
        return backlog;
    }

    /** Stops shipping: a request in flight is abandoned (its samples are sent again next time). */
    @Override
    public void close() {
        stopping.countDown();
        wakeUp();
        client.close();
        if (thread.isAlive()) {
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Shipper thread did not stop within {}", STOP_TIMEOUT);
            }
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    /**
     * Where to continue: the persisted position is checked against the journal, never silently a
     * restart. Another epoch means a new journal, shipped from its beginning; an index still in the
     * journal is continued after; one below the journal's first index lost its file to the disk budget
     * (recorded as a gap), so shipping continues from the first index; anything else means the journal
     * no longer matches what the collector holds, and a new epoch starts after the journal's last
     * index, so nothing is sent under an index the collector already has.
     */
    private void resume() {
        Optional<AckedPosition.Mark> stored = ackedPosition.load();
        long epoch = journal.epoch();
        if (stored.isEmpty()) {
            start(-1, -1);
            return;
        }
        AckedPosition.Mark mark = stored.get();
        if (mark.epoch() != AckedPosition.UNKNOWN_EPOCH && mark.epoch() != epoch) {
            LOG.info("Journal {} is a new epoch ({}; the acknowledged position {} was of epoch {}): shipping it from "
                    + "its beginning", journal.directory(), epoch, ackedPosition.file(), mark.epoch());
            start(-1, -1);
            return;
        }
        long index = mark.index();
        long first = journal.firstIndex();
        long last = journal.lastIndex();
        if (index < 0 || journal.contains(index)) {
            start(index, index);
            return;
        }
        if (first >= 0 && index < first) {
            LOG.info("The acknowledged index {} (from {}) is below the journal's first index {}: its file was deleted "
                    + "(a disk budget drop is recorded as a gap); shipping from index {}", index, ackedPosition.file(),
                    first, first);
            start(-1, index);
            return;
        }
        long newEpoch = journal.newEpoch();
        LOG.error("The acknowledged index {} of epoch {} (from {}) is not in the journal {} (first index {}, last "
                + "index {}): the journal does not match what the collector holds. Everything up to index {} counts as "
                + "delivered; new samples go out under the new epoch {}", index, epoch, ackedPosition.file(),
                journal.directory(), first, last, last, newEpoch);
        start(last, last);
        persist(last);
    }

    private void start(long after, long acked) {
        resumeAfter = after;
        ackedIndex = acked;
        journal.claim(Math.max(after, acked));
    }

    private void run() {
        try (JournalReader reader = journal.reader()) {
            if (!reader.seekAfter(resumeAfter)) {
                LOG.warn("Journal index {} vanished before shipping started; shipping from the oldest sample",
                        resumeAfter);
            }
            while (!stopped()) {
                // A bug in one iteration (ours, Chronicle's, a listener's) must not end shipping for good:
                // count it as a failed attempt, back off, and go on with what is held in memory.
                try {
                    shipNext(reader);
                } catch (RuntimeException e) {
                    LOG.error("Shipping hit an unexpected error; samples stay in the journal, retrying from the "
                            + "acknowledged index {} with backoff", ackedIndex, e);
                    failed("unexpected error: " + describe(e), Level.QUIET, backoffDelay());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Shipper stopped: cannot open or close its journal reader; samples stay in the journal "
                    + "until restart, and /healthz reports the agent degraded", e);
        }
    }

    /** Ships the next request, or waits for work. */
    private void shipNext(JournalReader reader) {
        journal.settle(ackedIndex);
        int read = unsent.isEmpty() ? fill(reader) : 0;
        countBacklog();
        List<Gap> gaps = journal.gaps().pending(BatchCodec.MAX_GAPS);
        if (unsent.isEmpty() && gaps.isEmpty()) {
            // Everything read may have been in a budget gap already; only an empty read means no work.
            if (read == 0) {
                awaitWork();
            }
            return;
        }
        List<SampleRecord> records = new ArrayList<>();
        int limit = Math.min(readLimit(), Math.min(sizeCap, bisectCap));
        int items = 0;
        for (Item item : unsent) {
            if (item.record() != null) {
                if (records.size() == limit) {
                    break;
                }
                records.add(item.record());
            }
            items++;
        }
        ship(records, items, gaps);
    }

    /**
     * Reads the next batch from the journal into {@link #unsent}, turning unreadable excerpts into gaps;
     * returns how many excerpts were read.
     */
    private int fill(JournalReader reader) {
        backlog = journal.countAfter(ackedIndex);
        List<SampleRecord> read = new ArrayList<>();
        List<Long> unreadable = new ArrayList<>();
        int excerpts = reader.read(readLimit(), read, (index, why) -> {
            LOG.error("Journal entry {} in {} is not a sample ({}); recorded as a gap", index, journal.directory(), why);
            unreadable.add(index);
        });
        long highest = -1;
        if (!read.isEmpty()) {
            highest = read.get(read.size() - 1).journalIndex();
        }
        if (!unreadable.isEmpty()) {
            highest = Math.max(highest, unreadable.get(unreadable.size() - 1));
        }
        if (highest < 0) {
            return excerpts;
        }
        // Under the journal's lock: what the disk budget already deleted is in its gap, and must not be sent.
        long dropped = journal.claim(highest);
        Iterator<Long> lost = unreadable.iterator();
        long nextLost = lost.hasNext() ? lost.next() : Long.MAX_VALUE;
        for (SampleRecord record : read) {
            while (nextLost < record.journalIndex()) {
                addLost(nextLost, dropped);
                nextLost = lost.hasNext() ? lost.next() : Long.MAX_VALUE;
            }
            if (record.journalIndex() > dropped) {
                unsent.add(Item.sample(record));
            }
        }
        while (nextLost != Long.MAX_VALUE) {
            addLost(nextLost, dropped);
            nextLost = lost.hasNext() ? lost.next() : Long.MAX_VALUE;
        }
        return excerpts;
    }

    private void addLost(long index, long dropped) {
        if (index <= dropped) {
            return;
        }
        long sequences = journal.gaps().contents().nextSequence();
        Gap gap = journal.gaps().recordOne(GapReason.UNREADABLE, index, -1);
        if (gap.sequence() >= sequences) {
            listener.lost(LossReason.UNREADABLE, 1);
        }
        unsent.add(Item.lost(index, gap.sequence()));
    }

    /** The most samples to read and send at once: more while a large backlog drains. */
    private int readLimit() {
        int size = settings.batchSize();
        return backlog > 2L * size ? Math.max(size, DRAIN_BATCH_SIZE) : size;
    }

    /** How loud a failure is logged the first time in a row. */
    private enum Level { QUIET, INFO, WARN, ERROR }

    /** Posts one request of {@code records} (the first {@code items} of {@link #unsent}) and {@code gaps}. */
    private void ship(List<SampleRecord> records, int items, List<Gap> gaps) {
        long epoch = journal.epoch();
        byte[] batch = BatchCodec.encode(epoch, instance, gaps, records);
        boolean compressed = client.compresses(batch.length);
        CollectorReply reply;
        try {
            reply = client.post(batch)
                    .get(settings.requestTimeout().multipliedBy(2).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            failed("cannot reach the collector at " + settings.ingestUrl() + ": " + describe(cause), Level.WARN,
                    backoffDelay());
            return;
        } catch (TimeoutException e) {
            failed("no answer from the collector at " + settings.ingestUrl(), Level.WARN, backoffDelay());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
            return;
        }
        if (compressed && (reply.status() == 400 || reply.status() == 415)) {
            // A collector that does not read gzip sees a body that is not a batch; say so once, then send plain.
            LOG.warn("The collector at {} refused a gzip-compressed batch ({}: {}); sending uncompressed from now on",
                    settings.ingestUrl(), reply.status(), reply.errorMessage());
            client.stopCompressing();
            return;
        }
        switch (reply.status()) {
            case 200 -> acknowledged(reply, epoch, records, items);
            case 400 -> malformed(reply, records, items);
            case 401 -> failed("collector rejected the agent token (401); check collector.token", Level.ERROR,
                    backoffDelay());
            case 413 -> tooLarge(reply, records);
            case 422 -> failed("collector cannot process this batch yet (422: " + reply.errorMessage()
                    + "); it is older than this agent: upgrade the collector. Samples stay in the journal",
                    Level.ERROR, settings.backoff().unfixable());
            case 429, 503 -> failed("collector asks to wait (" + reply.status() + ": " + reply.errorMessage() + ")",
                    Level.INFO, reply.retryAfter().orElseGet(this::backoffDelay));
            default -> {
                boolean transientFailure = reply.status() == 408 || reply.status() >= 500;
                failed("collector answered " + reply.status() + ": " + reply.errorMessage(),
                        transientFailure ? Level.WARN : Level.ERROR, backoffDelay());
            }
        }
    }

    private void acknowledged(CollectorReply reply, long epoch, List<SampleRecord> records, int items) {
        if (!reply.contentType().startsWith(AckCodec.MEDIA_TYPE)) {
            failed("collector answered 200 with content type '" + reply.contentType() + "', not an ack", Level.WARN,
                    backoffDelay());
            return;
        }
        Ack ack;
        try {
            ack = AckCodec.decode(reply.body());
        } catch (ProtocolException | IllegalArgumentException e) {
            failed("collector sent an invalid ack: " + e.getMessage(), Level.WARN, backoffDelay());
            return;
        }
        if (ack.epoch() != epoch) {
            failed("collector acknowledged epoch " + ack.epoch() + ", not the batch's epoch " + epoch, Level.ERROR,
                    backoffDelay());
            return;
        }
        int gapsBefore = journal.gaps().size();
        journal.gaps().acknowledged(epoch, ack.ackedGap());
        boolean gapsSettled = journal.gaps().size() < gapsBefore;
        countRejections(ack);
        // Never move past what was sent: an ack beyond it must not skip samples this journal has not delivered.
        long settledIndex = records.isEmpty() ? -1
                : Math.min(ack.ackedIndex(), records.get(records.size() - 1).journalIndex());
        int settledSamples = 0;
        long newAcked = ackedIndex;
        for (int i = 0; i < items && !unsent.isEmpty(); i++) {
            Item item = unsent.peekFirst();
            boolean settled = item.record() != null ? item.index() <= settledIndex : item.gapSequence() <= ack.ackedGap();
            if (!settled) {
                break;
            }
            unsent.removeFirst();
            if (item.record() != null) {
                settledSamples++;
            }
            newAcked = Math.max(newAcked, item.index());
        }
        if (newAcked > ackedIndex) {
            ackedIndex = newAcked;
            persist(newAcked);
            for (Path file : journal.settle(newAcked)) {
                LOG.info("Deleted journal file {}: the collector acknowledged every sample in it", file.getFileName());
            }
        } else if (!records.isEmpty()) {
            failed("collector acknowledged index " + ack.ackedIndex() + ", none of the batch "
                    + records.get(0).journalIndex() + ".." + records.get(records.size() - 1).journalIndex(),
                    Level.WARN, backoffDelay());
            return;
        } else if (!gapsSettled) {
            failed("collector acknowledged gap " + ack.ackedGap() + ", none of the gaps sent", Level.WARN,
                    backoffDelay());
            return;
        }
        if (failuresInARow > 0) {
            LOG.info("Shipping to {} works again after {} failed attempts", settings.ingestUrl(), failuresInARow);
            failuresInARow = 0;
        }
        if (bisectCap != Integer.MAX_VALUE) {
            bisectCap = bisectCap >= readLimit() ? Integer.MAX_VALUE : bisectCap * 2;
        }
        listener.acked(settledSamples, ackedIndex);
    }

    private void countRejections(Ack ack) {
        List<Rejection> rejections = ack.rejections();
        for (int i = 0; i < rejections.size(); i++) {
            Rejection rejection = rejections.get(i);
            listener.rejected(rejection.reason(), 1);
            if (i < MAX_LOGGED_REJECTIONS) {
                LOG.error("The collector refused journal index {} for good ({}): {}", rejection.journalIndex(),
                        rejection.reason().label(), rejection.message());
            }
        }
        if (rejections.size() > MAX_LOGGED_REJECTIONS) {
            LOG.error("The collector refused {} more samples of this batch for good", rejections.size()
                    - MAX_LOGGED_REJECTIONS);
        }
    }

    /**
     * A 400: the collector could not read the batch. Halve it until the record it cannot read is alone,
     * then give that record up as a {@link GapReason#MALFORMED} gap, so shipping never sticks on it.
     */
    private void malformed(CollectorReply reply, List<SampleRecord> records, int items) {
        if (records.size() > 1) {
            bisectCap = Math.max(1, records.size() / 2);
            LOG.warn("The collector refused a batch of {} samples as malformed ({}); retrying it in halves to find "
                    + "the sample it cannot read", records.size(), reply.errorMessage());
            listener.shipFailed("collector refused the batch as malformed (400)");
            return;
        }
        if (records.isEmpty()) {
            failed("collector refused a batch of gaps only as malformed (400: " + reply.errorMessage() + ")",
                    Level.ERROR, settings.backoff().unfixable());
            return;
        }
        SampleRecord record = records.get(0);
        long scheduled = record.sample().scheduledEpochMillis();
        long sequences = journal.gaps().contents().nextSequence();
        Gap gap = journal.gaps().recordOne(GapReason.MALFORMED, record.journalIndex(), scheduled);
        LOG.error("The collector refuses journal index {} (check {}, scheduled {}) as malformed even on its own ({}); "
                + "giving it up as a gap so shipping goes on", record.journalIndex(), record.sample().checkId(),
                scheduled, reply.errorMessage());
        if (gap.sequence() >= sequences) {
            listener.lost(LossReason.MALFORMED, 1);
        }
        List<Item> rest = new ArrayList<>();
        for (int i = 0; i < items && !unsent.isEmpty(); i++) {
            Item item = unsent.removeFirst();
            rest.add(item.index() == record.journalIndex() && item.record() != null
                    ? Item.lost(item.index(), gap.sequence()) : item);
        }
        for (int i = rest.size() - 1; i >= 0; i--) {
            unsent.addFirst(rest.get(i));
        }
    }

    /** A 413: the request was too large; send fewer samples per request from now on. Nothing is lost. */
    private void tooLarge(CollectorReply reply, List<SampleRecord> records) {
        if (records.size() <= 1) {
            failed("collector refuses even a single sample as too large (413: " + reply.errorMessage() + ")",
                    Level.ERROR, settings.backoff().unfixable());
            return;
        }
        sizeCap = Math.max(1, records.size() / 2);
        LOG.warn("The collector refused a batch of {} samples as too large ({}); sending at most {} per request from "
                + "now on", records.size(), reply.errorMessage(), sizeCap);
        listener.shipFailed("collector refused the batch as too large (413)");
    }

    private void persist(long index) {
        try {
            ackedPosition.store(journal.epoch(), index);
        } catch (IOException e) {
            LOG.error("Cannot persist the acknowledged position {} to {}; after a restart, samples since the last "
                    + "persisted position are sent again (the collector ignores duplicates)", index,
                    ackedPosition.file(), e);
        }
    }

    private Duration backoffDelay() {
        return settings.backoff().delay(failuresInARow + 1, ThreadLocalRandom.current());
    }

    /** Counts a failed attempt, logs it (loudly the first time in a row), and waits {@code delay}. */
    private void failed(String reason, Level level, Duration delay) {
        failuresInARow++;
        listener.shipFailed(reason);
        if (failuresInARow == 1) {
            String message = "Shipping failed: {}; samples stay in the journal, next try in {} ms";
            switch (level) {
                case ERROR -> LOG.error(message, reason, delay.toMillis());
                case WARN -> LOG.warn(message, reason, delay.toMillis());
                case INFO -> LOG.info(message, reason, delay.toMillis());
                case QUIET -> LOG.debug(message, reason, delay.toMillis());
            }
        } else {
            LOG.debug("Shipping failed ({} in a row): {}; next try in {} ms", failuresInARow, reason, delay.toMillis());
        }
        try {
            stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private void awaitWork() {
        synchronized (work) {
            if (!workSignalled && !stopped()) {
                try {
                    work.wait(IDLE_WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping.countDown();
                }
            }
            workSignalled = false;
        }
    }

    private void countBacklog() {
        long count = journal.countAfter(ackedIndex);
        backlog = count;
        long oldest = -1;
        for (Item item : unsent) {
            if (item.record() != null) {
                oldest = item.record().sample().scheduledEpochMillis();
                break;
            }
        }
        listener.backlog(count, oldest);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
