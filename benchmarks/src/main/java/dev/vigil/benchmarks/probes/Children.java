package dev.vigil.benchmarks.probes;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every process the benchmark started and has not stopped yet. Closing it stops them, newest first;
 * a JVM shutdown hook closes it too, so an interrupted run (Ctrl-C, the script's trap) leaves
 * nothing running.
 */
final class Children implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Children.class);

    private final Deque<ChildProcess> running = new ArrayDeque<>();

    Children() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "probe-bench-cleanup"));
    }

    /** Adopts {@code child}: it will be stopped by {@link #close()} unless stopped before through {@link #stop}. */
    synchronized ChildProcess adopt(ChildProcess child) {
        running.push(child);
        return child;
    }

    /** Stops {@code child} now (SIGTERM, then SIGKILL after {@code grace}). */
    void stop(ChildProcess child, Duration grace) {
        child.stop(grace);
        synchronized (this) {
            running.remove(child);
        }
    }

    @Override
    public void close() {
        while (true) {
            ChildProcess child;
            synchronized (this) {
                child = running.poll();
            }
            if (child == null) {
                return;
            }
            try {
                child.close();
            } catch (RuntimeException e) {
                LOG.warn("Could not stop {} (pid {}): {}", child.name(), child.pid(), e.toString());
            }
        }
    }
}
