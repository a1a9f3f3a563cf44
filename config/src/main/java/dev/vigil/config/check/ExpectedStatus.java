package dev.vigil.config.check;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The HTTP status codes a check accepts, e.g. {@code [200-299, 301]}.
 *
 * @param ranges at least one range
 */
public record ExpectedStatus(List<StatusRange> ranges) {
    /** Any 2xx status, the default. */
    public static final ExpectedStatus SUCCESS = new ExpectedStatus(List.of(new StatusRange(200, 299)));

    /** Validates that there is at least one range and copies the list. */
    public ExpectedStatus {
        Objects.requireNonNull(ranges, "ranges");
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("expected status must list at least one code or range");
        }
        ranges = List.copyOf(ranges);
    }

    /** Whether {@code status} is accepted. */
    public boolean accepts(int status) {
        for (StatusRange range : ranges) {
            if (range.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges as written in configuration, e.g. {@code [200-299, 301]}. */
    @Override
    public String toString() {
        return ranges.stream().map(StatusRange::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
