package dev.vigil.collector.incident.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to retry a delivery: exponential backoff from {@code initial}, doubling up to {@code max},
 * with "equal jitter" (a random point in the upper half of the step) so webhooks that failed together
 * are not retried in lockstep. A {@code Retry-After} from the receiver is honoured: the delay is never
 * shorter than it asks, up to {@link #MAX_RETRY_AFTER}.
 *
 * @param initial the step of the first retry, &gt; 0
 * @param max     the largest step, ≥ initial
 */
public record Backoff(Duration initial, Duration max) {
    /** 500 ms doubling to 60 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));
    /** The longest Retry-After honoured; a longer one is cut to this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /** Validates the steps. */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max (were " + initial + ", " + max + ")");
        }
    }

    /**
     * The delay before the next attempt.
     *
     * @param failedAttempts attempts made so far, ≥ 1
     * @param retryAfter     the receiver's Retry-After, if it sent one
     * @param random         the jitter's source
     * @return milliseconds to wait, ≥ 1
     */
    public long delayMillis(int failedAttempts, Optional<Duration> retryAfter, RandomGenerator random) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1 (was " + failedAttempts + ")");
        }
        long step = initial.toMillis();
        for (int i = 1; i < failedAttempts && step < max.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, max.toMillis());
        long jittered = step / 2 + (long) (random.nextDouble() * (step - step / 2));
        long asked = retryAfter.map(d -> Math.min(d.toMillis(), MAX_RETRY_AFTER.toMillis())).orElse(0L);
        return Math.max(1, Math.max(jittered, asked));
    }
}
