package dev.vigil.config.check;

/**
 * An inclusive range of HTTP status codes, written {@code 200-299} or, for a single code, {@code 204}.
 *
 * @param from the lowest accepted code, 100..599
 * @param to   the highest accepted code, {@code from}..599
 */
public record StatusRange(int from, int to) {

    /** Validates that both ends are status codes and in order. */
    public StatusRange {
        if (from < 100 || to > 599 || from > to) {
            throw new IllegalArgumentException(
                    "status range must be within 100..599 and ordered (was " + from + "-" + to + ")");
        }
    }

    /** Whether {@code status} lies in this range. */
    public boolean contains(int status) {
        return status >= from && status <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
