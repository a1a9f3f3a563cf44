package dev.vigil.agent.ship;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failure in a row, wait between half and all of
 * {@code min(max, initial × 2^(n-1))}, so agents that lost the collector together do not return together.
 *
 * @param initial the base delay after the first failure, &gt; 0
 * @param max     the largest base delay, ≥ {@code initial}
 */
public record Backoff(Duration initial, Duration max) {
    /**
     * 250 ms doubling up to 5 s: an agent finds a collector back from an outage within 5 s and starts
     * draining, while an attempt against a collector that is down costs one refused connection.
     */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    /** Validates that both delays are positive and ordered. */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max (was " + initial + ", " + max + ")");
        }
    }

    /**
     * The wait before sending again what the collector refused for a reason a retry cannot fix soon
     * (422: the collector is older than the agent): twelve times {@code max}, a minute by default. It
     * needs an operator; meanwhile the samples stay in the journal.
     */
    public Duration unfixable() {
        return max.multipliedBy(12);
    }

    /** The delay after {@code failures} (≥ 1) failures in a row. */
    public Duration delay(int failures, RandomGenerator random) {
        long base = initial.toMillis();
        for (int i = 1; i < failures && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        long half = base / 2;
        return Duration.ofMillis(half + random.nextLong(base - half + 1));
    }
}
