package dev.vigil.collector.incident.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * How a tool's HTTP answer counts, the same for every sink: 2xx delivered; 410 gone (the sink is
 * disabled); 5xx, 429, 408 (Request Timeout) and 425 (Too Early) retried, honouring {@code Retry-After};
 * any other status, a redirect included (sinks never follow one), refused for good. A connection failure
 * or timeout is retried; an address the egress policy blocks, or a URL that is not http(s), is refused
 * for good.
 */
public final class HttpVerdict {
    private HttpVerdict() {
    }

    /** The result of an attempt answered with {@code response}. */
    public static SendResult of(SinkResponse response, InstantSource clock) {
        int status = response.status();
        if (response.ok()) {
            return new SendResult.Delivered(status);
        }
        if (status == 410) {
            return new SendResult.Gone(response.describe());
        }
        if (retryable(status)) {
            return new SendResult.Retry(response.describe(), retryAfter(response.headers().get("Retry-After"), clock));
        }
        if (status >= 300 && status < 400) {
            return new SendResult.Rejected(response.describe()
                    + " (redirects are not followed: configure the URL it points to)");
        }
        return new SendResult.Rejected(response.describe());
    }

    /** The result of an attempt that got no answer. */
    public static SendResult ofFailure(Throwable failure) {
        if (failure instanceof EgressDeniedException || failure instanceof IllegalArgumentException) {
            return new SendResult.Rejected(failure.getMessage());
        }
        if (failure instanceof TimeoutException) {
            return new SendResult.Retry("timed out: " + failure.getMessage(), Optional.empty());
        }
        String message = failure.getMessage();
        return new SendResult.Retry(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message),
                Optional.empty());
    }

    /** Whether a non-2xx status may succeed later. */
    public static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /**
     * A {@code Retry-After} header as a wait: seconds, or an HTTP date (a past date is no wait); empty
     * when absent or unreadable. Values beyond {@link Backoff#MAX_RETRY_AFTER} are cut by the backoff.
     */
    public static Optional<Duration> retryAfter(String header, InstantSource clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(Backoff.MAX_RETRY_AFTER);
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
