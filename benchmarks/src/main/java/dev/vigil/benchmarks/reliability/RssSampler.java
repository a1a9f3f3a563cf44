package dev.vigil.benchmarks.reliability;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's resident memory ({@code VmRSS} and {@code RssAnon}) every second on its own
 * thread, keeping the first, the highest and the last value.
 */
final class RssSampler implements AutoCloseable {
    private final VigilProcess process;
    private final ScheduledExecutorService timer;
    private Figures vmRss;
    private Figures anon;
    private int samples;

    private RssSampler(VigilProcess process) {
        this.process = process;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reliability-rss");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sampling {@code process} now and then every {@code period}. */
    static RssSampler start(VigilProcess process, Duration period) {
        RssSampler sampler = new RssSampler(process);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    private synchronized void sample() {
        process.rss().ifPresent(rss -> {
            vmRss = vmRss == null ? Figures.first(rss.vmRssKib()) : vmRss.next(rss.vmRssKib());
            anon = anon == null ? Figures.first(rss.rssAnonKib()) : anon.next(rss.rssAnonKib());
            samples++;
        });
    }

    /** Takes a last sample and stops; returns {@code VmRSS} and {@code RssAnon} over the sampling. */
    Memory finish() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (this) {
            Figures none = new Figures(0, 0, 0);
            return new Memory(vmRss == null ? none : vmRss, anon == null ? none : anon, samples);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * A memory figure over the sampling, in KiB.
     *
     * @param startKib the first sample
     * @param maxKib   the highest
     * @param endKib   the last
     */
    record Figures(long startKib, long maxKib, long endKib) {
        static Figures first(long kib) {
            return new Figures(kib, kib, kib);
        }

        Figures next(long kib) {
            return new Figures(startKib, Math.max(maxKib, kib), kib);
        }
    }

    /**
     * What the sampler saw.
     *
     * @param vmRss   all resident memory
     * @param rssAnon its anonymous part (heap, stacks, malloc)
     * @param samples how many samples were taken
     */
    record Memory(Figures vmRss, Figures rssAnon, int samples) {
    }
}
