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
 * in the order they were submitted.
 */
public final class JournalWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** What happens to samples after the journal thread handled them. Called on the journal thread. */
    public interface Listener {
        /** {@code sample} is in the journal at {@code index}. */
        void journaled(Sample sample, long index);

        /** {@code sample} could not be journaled and is lost; {@code reason} says why. */
        void dropped(Sample sample, String reason);
    }

    private final SampleJournal journal;
    private final Listener listener;
    private final ThreadPoolExecutor thread;
    private boolean failing;

    /**
     * A writer appending to {@code journal} that holds at most {@code capacity} samples waiting for
     * the journal thread; beyond that, samples are dropped and reported.
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
            listener.dropped(sample, thread.isShutdown() ? "agent is stopping" : "journal thread is behind");
        }
    }

    private void append(Sample sample) {
        long index;
        try {
            index = journal.append(sample);
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.error("Cannot append to the journal in {}; samples are lost until it works again",
                        journal.directory(), e);
                failing = true;
            }
            listener.dropped(sample, "journal append failed: " + e.getMessage());
            return;
        }
        if (failing) {
            LOG.info("Journal appends work again");
            failing = false;
        }
        listener.journaled(sample, index);
    }

    /** Journals every sample already queued, then stops the journal thread. */
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
    }
}
