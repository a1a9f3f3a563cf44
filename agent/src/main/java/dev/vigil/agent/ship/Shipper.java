package dev.vigil.agent.ship;

import dev.vigil.agent.journal.JournalReader;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.SampleRecord;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the journal to the collector: reads up to a batch of samples after the acknowledged
 * position, posts them, and moves and persists the acknowledged position only when the collector's
 * ack says it holds them. On any failure it keeps everything, backs off, and retries from the
 * acknowledged position, so a sample is delivered at least once and, since the collector drops
 * journal indexes it already holds, counted exactly once.
 *
 * <p>Runs on its own thread ({@code vigil-shipper}), which owns the journal reader and blocks only
 * itself; its HTTP connection borrows an event loop of the given group.
 */
public final class Shipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final SampleJournal journal;
    private final AckedPosition ackedPosition;
    private final ShipperSettings settings;
    private final ShipListener listener;
    private final CollectorClient client;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Object work = new Object();
    private boolean workSignalled;
    private volatile long ackedIndex = -1;
    private volatile long backlog;
    private int failuresInARow;
    // Set when the persisted acknowledged index was not in the journal: the collector holds indexes up
    // to here from an earlier journal, so this journal's samples at or below it are taken for duplicates.
    private long staleMark = -1;
    private long rejectedInARow;

    /**
     * A shipper for {@code journal} that persists its acknowledged position in
     * {@code ackedPositionFile}, posts with {@code settings} over a connection on {@code group}, and
     * reports to {@code listener}. Nothing happens until {@link #start()}.
     */
    public Shipper(SampleJournal journal, Path ackedPositionFile, ShipperSettings settings, EventLoopGroup group,
            ShipListener listener) {
        this.journal = journal;
        this.ackedPosition = new AckedPosition(ackedPositionFile);
        this.settings = settings;
        this.listener = listener;
        this.client = new CollectorClient(group, settings);
        this.thread = new Thread(this::run, "vigil-shipper");
    }

    /** Starts shipping on the shipper's thread, from just after the persisted acknowledged position. */
    public void start() {
        ackedIndex = ackedPosition.load();
        thread.start();
    }

    /** Tells the shipper that new samples are in the journal; never blocks. */
    public void wakeUp() {
        synchronized (work) {
            workSignalled = true;
            work.notifyAll();
        }
    }

    /** The highest journal index the collector has acknowledged, or -1. */
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

    private void run() {
        try (JournalReader reader = journal.reader()) {
            List<SampleRecord> batch = new ArrayList<>(settings.batchSize());
            boolean resumed = false;
            boolean positioned = true;
            while (!stopped()) {
                // A bug in one iteration (ours, Chronicle's, a listener's) must not end shipping for good:
                // count it as a failed attempt, back off, and go on from the acknowledged position.
                try {
                    if (!resumed) {
                        resume(reader);
                        resumed = true;
                    } else if (!positioned) {
                        reader.seekAfter(ackedIndex);
                    }
                    positioned = shipNext(reader, batch);
                } catch (RuntimeException e) {
                    positioned = false;
                    LOG.error("Shipping hit an unexpected error; samples stay in the journal, retrying from the "
                            + "acknowledged index {} with backoff", ackedIndex, e);
                    failed(Failure.of("unexpected error: " + describe(e)), false);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Shipper stopped: cannot open or close its journal reader; samples stay in the journal "
                    + "until restart, and /healthz reports the agent degraded", e);
        }
    }

    /** Ships the next batch, or waits for work; returns false when the reader must go back to the acknowledged position. */
    private boolean shipNext(JournalReader reader, List<SampleRecord> batch) {
        batch.clear();
        reader.read(settings.batchSize(), batch);
        countBacklog();
        if (batch.isEmpty()) {
            awaitWork();
            return true;
        }
        Failure failure = ship(batch);
        if (failure == null) {
            return ackedIndex >= batch.get(batch.size() - 1).journalIndex();
        }
        failed(failure, true);
        if (!reader.seekAfter(ackedIndex)) {
            LOG.warn("Acknowledged index {} vanished from the journal; retrying from the oldest sample", ackedIndex);
        }
        return true;
    }

    private void resume(JournalReader reader) {
        long acked = ackedIndex;
        if (acked < 0) {
            reader.seekAfter(-1);
            return;
        }
        if (!reader.seekAfter(acked)) {
            // Progress is measured from here on against this journal's indexes, not the stale one.
            ackedIndex = -1;
            long first = journal.firstIndex();
            if (first < 0 || first <= acked) {
                staleMark = acked;
                LOG.error("The journal {} was reset: the persisted acknowledged index {} (from {}) is not in it, and "
                        + "its samples start at or below that index. The collector already holds higher indexes for "
                        + "this agent, so it counts this journal's samples up to index {} as duplicates and drops "
                        + "them (vigil_agent_samples_rejected_as_duplicate_total). To keep them, give the agent a new "
                        + "name, or wait for the journal epoch in the protocol.", journal.directory(), acked,
                        ackedPosition.file(), acked);
                return;
            }
            LOG.warn("The acknowledged journal index {} (from {}) is no longer in the journal {}: its file was removed "
                    + "or the journal replaced. Shipping from the oldest sample still in the journal; the collector "
                    + "ignores samples it already holds.", acked, ackedPosition.file(), journal.directory());
        }
    }

    /** Why a batch was not acknowledged; {@code refused} when the collector rejected it as invalid (4xx). */
    private record Failure(String reason, boolean refused) {
        static Failure of(String reason) {
            return new Failure(reason, false);
        }
    }

    /** Posts one batch; returns null when acknowledged, else why it failed. */
    private Failure ship(List<SampleRecord> batch) {
        IngestReply reply;
        try {
            reply = client.post(BatchCodec.encode(batch))
                    .get(settings.requestTimeout().multipliedBy(2).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Failure.of("cannot reach the collector at " + settings.ingestUrl() + ": " + describe(cause));
        } catch (TimeoutException e) {
            return Failure.of("no answer from the collector at " + settings.ingestUrl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
            return Failure.of("interrupted");
        }
        if (reply.status() != 200) {
            return rejection(reply);
        }
        if (!reply.contentType().startsWith(AckCodec.MEDIA_TYPE)) {
            return Failure.of("collector answered 200 with content type '" + reply.contentType() + "', not an ack");
        }
        Ack ack;
        try {
            ack = AckCodec.decode(reply.body());
        } catch (ProtocolException e) {
            return Failure.of("collector sent an invalid ack: " + e.getMessage());
        }
        return acknowledged(batch, ack);
    }

    private Failure acknowledged(List<SampleRecord> batch, Ack ack) {
        long lastSent = batch.get(batch.size() - 1).journalIndex();
        rejectedAsDuplicates(batch, ack);
        // Never move past what was sent: an ack beyond it (a collector that remembers another journal)
        // must not skip samples this journal has not delivered.
        long newAcked = Math.min(ack.ackedIndex(), lastSent);
        long previous = ackedIndex;
        if (newAcked <= previous || newAcked < batch.get(0).journalIndex()) {
            return Failure.of("collector acknowledged index " + ack.ackedIndex() + ", none of the batch "
                    + batch.get(0).journalIndex() + ".." + lastSent);
        }
        int count = 0;
        for (SampleRecord record : batch) {
            if (record.journalIndex() <= newAcked) {
                count++;
            }
        }
        ackedIndex = newAcked;
        try {
            ackedPosition.store(newAcked);
        } catch (IOException e) {
            LOG.error("Cannot persist the acknowledged position {} to {}; after a restart, samples since the last "
                    + "persisted position are sent again (the collector ignores duplicates)", newAcked,
                    ackedPosition.file(), e);
        }
        for (Path file : journal.deleteFilesBefore(newAcked)) {
            LOG.info("Deleted journal file {}: the collector acknowledged every sample in it", file.getFileName());
        }
        if (failuresInARow > 0) {
            LOG.info("Shipping to {} works again after {} failed attempts", settings.ingestUrl(), failuresInARow);
            failuresInARow = 0;
        }
        listener.acked(count, newAcked);
        return null;
    }

    /**
     * Counts and reports samples the collector took for duplicates although it never got them from this
     * journal: the journal was wiped and restarted below the collector's per-agent dedup mark.
     */
    private void rejectedAsDuplicates(List<SampleRecord> batch, Ack ack) {
        long firstSent = batch.get(0).journalIndex();
        long lastSent = batch.get(batch.size() - 1).journalIndex();
        int rejected = 0;
        if (ack.accepted() == 0 && ack.duplicates() == batch.size() && ack.ackedIndex() > lastSent) {
            // A resent batch whose ack was lost is all duplicates too, but then the collector's mark is the
            // batch's own last index; a mark beyond anything this journal sent comes from another journal.
            rejected = batch.size();
        } else if (firstSent <= staleMark && ack.duplicates() > 0) {
            int belowMark = 0;
            for (SampleRecord record : batch) {
                if (record.journalIndex() <= staleMark) {
                    belowMark++;
                }
            }
            rejected = Math.min(belowMark, ack.duplicates());
        }
        if (rejected == 0) {
            if (rejectedInARow > 0) {
                LOG.info("The collector accepts this journal's samples again from index {}, after taking {} for "
                        + "duplicates", firstSent, rejectedInARow);
                rejectedInARow = 0;
            }
            return;
        }
        if (rejectedInARow == 0) {
            LOG.error("The collector at {} already holds higher journal indexes for this agent (up to {}) than the "
                    + "samples sent ({}..{}), so these samples are being counted as duplicates and dropped "
                    + "(vigil_agent_samples_rejected_as_duplicate_total). The journal was wiped or replaced on the "
                    + "same UTC day. To keep the samples, give the agent a new name, or wait for the journal epoch in "
                    + "the protocol.", settings.ingestUrl(), ack.ackedIndex(), firstSent, lastSent);
        } else {
            LOG.debug("The collector took {} more samples ({}..{}) for duplicates", rejected, firstSent, lastSent);
        }
        rejectedInARow += rejected;
        listener.rejectedAsDuplicate(rejected);
    }

    private static Failure rejection(IngestReply reply) {
        int status = reply.status();
        if (status == 401) {
            return Failure.of("collector rejected the agent token (401); check collector.token");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Failure.of("collector answered " + status + ": " + reply.errorMessage());
        }
        return new Failure("collector refused the batch with " + status + ": " + reply.errorMessage(), true);
    }

    /** Counts a failed attempt and backs off; {@code log} is false when the caller already logged it. */
    private void failed(Failure failure, boolean log) {
        failuresInARow++;
        listener.shipFailed(failure.reason());
        Duration delay = settings.backoff().delay(failuresInARow, ThreadLocalRandom.current());
        if (!log) {
            LOG.debug("Next try in {} ms", delay.toMillis());
        } else if (failuresInARow == 1 && failure.refused()) {
            // Not transient: the collector will refuse this batch until one side is fixed.
            LOG.error("Shipping failed: {}; samples stay in the journal, retrying with backoff", failure.reason());
        } else if (failuresInARow == 1) {
            LOG.warn("Shipping failed: {}; samples stay in the journal, retrying with backoff", failure.reason());
        } else {
            LOG.debug("Shipping failed ({} in a row): {}; next try in {} ms", failuresInARow, failure.reason(),
                    delay.toMillis());
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
        listener.backlog(count);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
