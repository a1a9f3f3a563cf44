package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One side of a trial (the agent or the collector) across all its incarnations: the same data
 * directory and log, a new process after each kill. Tracks the counters the comparison needs across
 * restarts ({@link IncarnationCounter}) and counts kills and start-ups.
 */
abstract class VigilNode implements AutoCloseable {
    private final String name;
    private final Path dir;
    private final Map<String, IncarnationCounter> counters = new LinkedHashMap<>();
    private VigilProcess process;
    private int kills;
    private int starts;

    VigilNode(String name, Path dir, List<String> trackedCounters) {
        this.name = name;
        this.dir = dir;
        trackedCounters.forEach(metric -> counters.put(metric, new IncarnationCounter()));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The command line of a new incarnation. */
    abstract List<String> command();

    /** Environment variables a new incarnation gets. */
    abstract Map<String, String> environment();

    /** The base URI of the running incarnation's HTTP server ({@code /healthz}, {@code /metrics}). */
    abstract URI baseUri();

    final String name() {
        return name;
    }

    final Path dir() {
        return dir;
    }

    /** Starts a new incarnation without waiting for it. */
    synchronized VigilProcess spawn() {
        if (process != null && process.alive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        process = VigilProcess.start(name, command(), environment(), dir, dir.resolve(name + ".log"));
        starts++;
        return process;
    }

    /**
     * Waits until the running incarnation answers {@code /healthz} with 200.
     *
     * @throws StartFailure when it exits first or does not answer within {@code within}
     */
    void awaitHealthy(Duration within) {
        VigilProcess current = process();
        long deadline = System.nanoTime() + within.toNanos();
        while (Loopback.getOk(baseUri().resolve("/healthz")).isEmpty()) {
            if (!current.alive()) {
                throw new StartFailure(name + " exited with status " + current.exitStatus().orElse(-1)
                        + " during start-up; its log ends:\n" + current.logTail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(name + " did not answer /healthz within " + within.toSeconds()
                        + " s; its log ends:\n" + current.logTail(20));
            }
            Loopback.sleep(Duration.ofMillis(100));
        }
    }

    /** Starts a new incarnation and waits until it is healthy. */
    void start(Duration within) {
        spawn();
        awaitHealthy(within);
    }

    /** Scrapes {@code /metrics} of the running incarnation, updating the tracked counters; empty when it did not answer. */
    synchronized Optional<MetricsText> scrape() {
        if (process == null || !process.alive()) {
            return Optional.empty();
        }
        Optional<MetricsText> metrics = Loopback.getOk(baseUri().resolve("/metrics")).map(MetricsText::new);
        metrics.ifPresent(text -> counters.forEach((metric, counter) -> counter.observe(text.count(metric))));
        return metrics;
    }

    /** Scrapes the counters one last time, then SIGKILLs the running incarnation. */
    synchronized void kill9() {
        scrape();
        process().kill9();
        kills++;
        counters.values().forEach(IncarnationCounter::nextIncarnation);
    }

    /**
     * Scrapes the counters one last time, then stops the running incarnation with SIGTERM; returns
     * whether it exited by itself within {@code grace} (else it was killed).
     */
    synchronized boolean stop(Duration grace) {
        scrape();
        boolean clean = process().terminate(grace);
        counters.values().forEach(IncarnationCounter::nextIncarnation);
        return clean;
    }

    /** SIGSTOP: the process keeps its sockets but runs no more. */
    void freeze() {
        process().signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void thaw() {
        process().signal("CONT");
    }

    /** The running (or last) incarnation. */
    synchronized VigilProcess process() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process;
    }

    /** Whether an incarnation runs now. */
    synchronized boolean running() {
        return process != null && process.alive();
    }

    /** Whether the last incarnation died without being asked to (a crash). */
    synchronized boolean crashed() {
        return process != null && !process.alive() && !process.stopped();
    }

    /** The total of {@code metric} over all incarnations, as last scraped. */
    long total(String metric) {
        IncarnationCounter counter = counters.get(metric);
        if (counter == null) {
            throw new IllegalArgumentException(metric + " is not tracked by " + name);
        }
        return counter.total();
    }

    /** SIGKILLs so far. */
    synchronized int kills() {
        return kills;
    }

    /** Incarnations started so far. */
    synchronized int starts() {
        return starts;
    }

    /** Kills whatever still runs. */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }

    /** A start or restart that did not lead to a healthy process. */
    static final class StartFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }
}
