package dev.vigil.collector.api;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The {@code period} parameter of the monthly service-management routes (KPIs, problems' repeat rate,
 * change-induced incidents, suppliers): {@code current}, {@code previous} or {@code YYYY-MM}, a calendar
 * month in UTC that has begun.
 */
public final class UtcMonth {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private UtcMonth() {
    }

    /**
     * The month {@code label} names, not after the one holding {@code nowEpochMillis}.
     *
     * @throws IllegalArgumentException naming the accepted forms and the value given
     */
    public static YearMonth parse(String label, long nowEpochMillis) {
        YearMonth current = YearMonth.from(Instant.ofEpochMilli(nowEpochMillis).atZone(ZoneOffset.UTC));
        if (label.equals("current")) {
            return current;
        }
        if (label.equals("previous")) {
            return current.minusMonths(1);
        }
        String expected = "period must be current, previous or a month in UTC like " + current + " (was '" + label
                + "')";
        if (!MONTH.matcher(label).matches()) {
            throw new IllegalArgumentException(expected);
        }
        YearMonth month;
        try {
            month = YearMonth.parse(label);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(expected);
        }
        if (month.isAfter(current)) {
            throw new IllegalArgumentException("period must not be after the current month " + current + " (was '"
                    + label + "')");
        }
        return month;
    }

    /** The first instant of {@code month} in UTC, in epoch milliseconds. */
    public static long startMillis(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
