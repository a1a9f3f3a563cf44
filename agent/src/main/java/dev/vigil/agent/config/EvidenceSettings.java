package dev.vigil.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how much failure evidence the agent captures: the top-level {@code evidence:} block of
 * its configuration, applying to every check.
 *
 * @param enabled   whether a failed run captures evidence at all
 * @param bodyBytes how many bytes of an HTTP response body are kept, 0 to {@value #MAX_BODY_BYTES}
 * @param every     how old the last evidence of a check may grow before a run failing the same way
 *                  captures again; strictly positive
 */
public record EvidenceSettings(boolean enabled, int bodyBytes, Duration every) {
    /** The most body bytes evidence keeps (the protocol's bound on an evidence body). */
    public static final int MAX_BODY_BYTES = 2048;
    /** Evidence of every failed run that is new, changed or older than 5 minutes, with 1 KiB of body. */
    public static final EvidenceSettings DEFAULT = new EvidenceSettings(true, 1024, Duration.ofMinutes(5));
    /** No evidence at all. */
    public static final EvidenceSettings DISABLED = new EvidenceSettings(false, 1024, Duration.ofMinutes(5));

    /** Validates the body size and the interval. */
    public EvidenceSettings {
        Objects.requireNonNull(every, "every");
        if (bodyBytes < 0 || bodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("evidence.body_bytes must be between 0 and " + MAX_BODY_BYTES
                    + " (was " + bodyBytes + ")");
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("evidence.every must be > 0 (was " + every + ")");
        }
    }
}
