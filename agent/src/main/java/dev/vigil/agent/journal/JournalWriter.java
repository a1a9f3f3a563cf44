package dev.vigil.agent.journal;

import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's journal thread: takes samples from the event loops without blocking them, appends
 * each to the {@link SampleJournal}, and only then tells the {@link Listener}. Samples are journaled
 * in the order they were submitted. A sample that cannot be journaled (the thread's queue is full, the
 * append fails, or there is no room on the disk) is counted and recorded in the journal's gap log.
 */
public final class JournalWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** What happens to samples after the journal thread handled them. */
    public interface Listener {
        /** {@code sample} is in the journal at {@code index}. Called on the journal thread. */
        void journaled(Sample sample, long index);

        /**
         * {@code sample} could not be journaled and is lost for {@code reason}; called on the thread that
         * submitted it ({@link LossReason#JOURNAL_QUEUE_FULL}) or the journal thread. Samples refused by
         * the disk budget are reported by the journal's own {@link LossListener} instead.
         */
        void dropped(Sample sample, LossReason reason);
    }

    private final SampleJournal journal;
    private final Listener listener;
    private final ThreadPoolExecutor thread;
    private final QueueDrops queueDrops = new QueueDrops();
    private boolean failing;

    /**
     * A writer appending to {@code journal} that holds at most {@code capacity} samples waiting for
     * the journal thread; beyond that, samples are dropped, counted and recorded as a gap.
     */
    public JournalWriter(SampleJournal journal, int capacity, Listener listener) {
        this.journal = journal;
        this.listener = listener;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                runnable -> {
                    Thread journalThread = new Thread(runnable, "vigil-journal");
                    // Instead of the JVM's default handler, which prints to stderr; the pool starts a new thread.
                    journalThread.setUncaughtExceptionHandler((t, e) -> LOG.error("Journal thread failed", e));
                    return journalThread;
                });
    }

    /**
     * Whether the journal thread takes samples: true from construction until {@link #close()}. The pool
     * replaces a thread that died of an exception, so only shutting it down stops it.
     */
    public boolean running() {
        return !thread.isShutdown();
    }

    /** Queues {@code sample} for the journal; never blocks. */
    public void submit(Sample sample) {
        try {
            thread.execute(() -> append(sample));
        } catch (RejectedExecutionException e) {
            if (thread.isShutdown()) {
                LOG.warn("Sample of check {} scheduled at {} arrived while the agent is stopping; not journaled",
                        sample.checkId(), sample.scheduledEpochMillis());
                listener.dropped(sample, LossReason.NOT_JOURNALED);
                recordNotJournaled(1, sample.scheduledEpochMillis(), sample.scheduledEpochMillis());
                return;
            }
            // Recorded in the gap log by the journal thread, which may write files; an event loop must not.
            if (queueDrops.add(sample.scheduledEpochMillis()) == 1) {
                LOG.warn("The journal thread is behind ({} samples waiting); dropping samples until it catches up",
                        thread.getQueue().size());
            }
            listener.dropped(sample, LossReason.JOURNAL_QUEUE_FULL);
        }
    }

    private void append(Sample sample) {
        foldQueueDrops();
        long index;
        try {
            index = journal.append(sample);
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.error("Cannot append to the journal in {}; samples are lost (and recorded as a gap) until it "
                        + "works again", journal.directory(), e);
                failing = true;
            }
            listener.dropped(sample, LossReason.NOT_JOURNALED);
            recordNotJournaled(1, sample.scheduledEpochMillis(), sample.scheduledEpochMillis());
            return;
        }
        if (failing) {
            LOG.info("Journal appends work again");
            failing = false;
        }
        if (index != SampleJournal.NOT_JOURNALED) {
            listener.journaled(sample, index);
        }
    }

    private void foldQueueDrops() {
        QueueDrops.Run run = queueDrops.take();
        if (run != null) {
            LOG.warn("The journal thread dropped {} samples while behind (scheduled {}..{}); recorded as a gap",
                    run.samples(), run.firstScheduledMillis(), run.lastScheduledMillis());
            recordNotJournaled(run.samples(), run.firstScheduledMillis(), run.lastScheduledMillis());
        }
    }

    private void recordNotJournaled(long samples, long firstMillis, long lastMillis) {
        try {
            journal.notJournaled(samples, firstMillis, lastMillis);
        } catch (RuntimeException e) {
            LOG.error("Cannot record {} samples that were not journaled in the gap log", samples, e);
        }
    }

    /** Journals every sample already queued, records dropped ones in the gap log, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Journal thread did not drain within {}; {} samples not journaled",
                        DRAIN_TIMEOUT, thread.getQueue().size());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        foldQueueDrops();
    }

    /** Samples dropped for a full queue since the journal thread last looked: a count and a time span. */
    private static final class QueueDrops {
        record Run(long samples, long firstScheduledMillis, long lastScheduledMillis) {
        }

        private long samples;
        private long first;
        private long last;

        synchronized long add(long scheduledMillis) {
            first = samples == 0 ? scheduledMillis : Math.min(first, scheduledMillis);
            last = samples == 0 ? scheduledMillis : Math.max(last, scheduledMillis);
            return ++samples;
        }

        synchronized Run take() {
            if (samples == 0) {
                return null;
            }
            Run run = new Run(samples, first, last);
            samples = 0;
            return run;
        }
    }
}
