package dev.vigil.benchmarks.reliability;

/**
 * A Prometheus counter of a process that is killed and restarted: each incarnation counts from zero,
 * so the total is the last value scraped from each incarnation, summed. Whatever an incarnation
 * counted between its last scrape and its death is missed; the harness scrapes right before each
 * kill to keep that window to milliseconds.
 */
final class IncarnationCounter {
    private long finished;
    private long current;

    /** A value scraped from the running incarnation. */
    synchronized void observe(long value) {
        current = Math.max(current, value);
    }

    /** The incarnation ended; the next one counts from zero. */
    synchronized void nextIncarnation() {
        finished += current;
        current = 0;
    }

    /** The sum over all incarnations so far. */
    synchronized long total() {
        return finished + current;
    }

    /** The running incarnation's last scraped value. */
    synchronized long current() {
        return current;
    }
}
