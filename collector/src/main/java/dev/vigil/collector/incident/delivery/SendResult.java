package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** How one delivery attempt ended. */
public sealed interface SendResult {

    /** This result with its error text rewritten by {@code edit}; {@link Delivered} has none and is returned as is. */
    default SendResult withError(UnaryOperator<String> edit) {
        if (this instanceof Retry retry) {
            return new Retry(edit.apply(retry.error()), retry.retryAfter());
        }
        if (this instanceof Rejected rejected) {
            return new Rejected(edit.apply(rejected.error()));
        }
        if (this instanceof Gone gone) {
            return new Gone(edit.apply(gone.error()));
        }
        return this;
    }

    /**
     * This result with {@code secret} replaced by {@code placeholder} wherever its error text shows it.
     * Tools do not echo the credential a request carried, but a proxy or a misconfigured endpoint may,
     * and the error text reaches the API, the logs and the dead letters.
     *
     * @param placeholder what stands in its place, e.g. {@code <routing key>}
     */
    default SendResult withoutSecret(Secret secret, String placeholder) {
        String value = secret.reveal();
        return withError(error -> error.replace(value, placeholder));
    }

    /** The tool accepted it (2xx, or the tool's own "already done"). */
    record Delivered(int status) implements SendResult {
    }

    /**
     * The attempt may succeed later: connect error, timeout, reset, 5xx, 408, 425 or 429.
     *
     * @param error      what happened, for the API and the logs
     * @param retryAfter the receiver's Retry-After, if it sent one
     */
    record Retry(String error, Optional<Duration> retryAfter) implements SendResult {
        /** Validates presence. */
        public Retry {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /**
     * The tool refused the event for good (a 4xx other than 408, 410, 425 and 429, an address the egress
     * policy blocks, a redirect): dead-lettered, not retried.
     *
     * @param error what the tool answered
     */
    record Rejected(String error) implements SendResult {
        /** Validates presence. */
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The endpoint is gone (410): the sink is disabled and everything pending for it is dead-lettered.
     *
     * @param error what the tool answered
     */
    record Gone(String error) implements SendResult {
        /** Validates presence. */
        public Gone {
            Objects.requireNonNull(error, "error");
        }
    }
}
