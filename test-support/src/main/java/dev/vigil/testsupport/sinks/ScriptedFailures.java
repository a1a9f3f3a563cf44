package dev.vigil.testsupport.sinks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The failures a test scripts for a receiver's next requests, served in the order scripted: each one
 * answers one request with its status, and its {@code Retry-After} if the tool sends one, instead of
 * the tool's processing. The receiver decides which requests it checks and what body it answers.
 */
final class ScriptedFailures {
    /**
     * One scripted failure.
     *
     * @param status     the HTTP status: 429, or a 5xx
     * @param retryAfter the {@code Retry-After} answered with it, if any
     */
    record Failure(int status, Optional<Duration> retryAfter) {
    }

    private final Deque<Failure> queue = new ArrayDeque<>();

    /** Answers the next {@code count} requests with {@code status} and {@code retryAfter}. */
    synchronized void add(int count, int status, Optional<Duration> retryAfter) {
        for (int i = 0; i < count; i++) {
            queue.add(new Failure(status, retryAfter));
        }
    }

    /** The failure the current request meets, taken off the script; empty when none is left. */
    synchronized Optional<Failure> next() {
        return Optional.ofNullable(queue.poll());
    }
}
