package dev.vigil.collector.incident;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one delivery attempt ended. */
sealed interface SendResult {

    /** The receiver answered 2xx. */
    record Delivered(int status) implements SendResult {
    }

    /**
     * The attempt may succeed later: connect error, timeout, reset, 5xx, 408, 425 or 429.
     *
     * @param error      what happened, for the API and the logs
     * @param retryAfter the receiver's Retry-After, if it sent one
     */
    record Retry(String error, Optional<Duration> retryAfter) implements SendResult {
        public Retry {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /**
     * The receiver refused the event for good (a 4xx other than 408, 425 and 429, or any other non-2xx status).
     *
     * @param error what the receiver answered
     */
    record Rejected(String error) implements SendResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }
}
