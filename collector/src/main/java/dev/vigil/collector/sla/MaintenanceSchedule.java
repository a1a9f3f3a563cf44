package dev.vigil.collector.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;

/**
 * When a maintenance window takes place: once, weekly or monthly.
 *
 * <p>Recurring occurrences start at a wall-clock time in a zone (a start inside a daylight-saving gap
 * moves forward by the gap, one inside an overlap takes the earlier offset, as in
 * {@link ServiceCalendar}) and last their {@code duration} of elapsed time, so a 4-hour window
 * starting 01:00 on a spring-forward night ends at 05:00 local, not 04:00.
 */
public sealed interface MaintenanceSchedule {

    /** Longest duration of a recurring occurrence: it must not reach the next of its kind by much. */
    Duration MAX_RECURRING_DURATION = Duration.ofDays(7);

    /**
     * The occurrences overlapping {@code [fromEpochMillis, toEpochMillis)}, clipped to it.
     *
     * @param fromEpochMillis start of the range, inclusive
     * @param toEpochMillis   end of the range, exclusive
     */
    IntervalSet occurrences(long fromEpochMillis, long toEpochMillis);

    /**
     * A single window.
     *
     * @param start first instant of maintenance
     * @param end   first instant after it, later than {@code start}
     */
    record OneOff(Instant start, Instant end) implements MaintenanceSchedule {
        /** Validates that it ends after it starts. */
        public OneOff {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("maintenance end (" + end + ") must be after its start (" + start + ")");
            }
        }

        @Override
        public IntervalSet occurrences(long fromEpochMillis, long toEpochMillis) {
            return IntervalSet.of(start.toEpochMilli(), end.toEpochMilli()).clip(fromEpochMillis, toEpochMillis);
        }
    }

    /**
     * A window on given days of every week.
     *
     * @param zone     zone of the days and the start time
     * @param days     days of the week on which an occurrence starts, at least one
     * @param start    local start time
     * @param duration elapsed length of each occurrence, 1 ms .. 7 days
     */
    record Weekly(ZoneId zone, Set<DayOfWeek> days, LocalTime start, Duration duration) implements MaintenanceSchedule {
        /** Validates and copies. */
        public Weekly {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(days, "days");
            Objects.requireNonNull(start, "start");
            checkDuration(duration);
            if (days.isEmpty()) {
                throw new IllegalArgumentException("weekly maintenance needs at least one day");
            }
            days = Set.copyOf(days);
        }

        @Override
        public IntervalSet occurrences(long fromEpochMillis, long toEpochMillis) {
            if (toEpochMillis <= fromEpochMillis) {
                return IntervalSet.EMPTY;
            }
            LocalDate first = localDate(fromEpochMillis, zone).minusDays(duration.toDays() + 2);
            LocalDate last = localDate(toEpochMillis, zone).plusDays(1);
            IntervalSet.Builder builder = IntervalSet.builder();
            for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
                if (days.contains(date.getDayOfWeek())) {
                    addOccurrence(builder, date, start, zone, duration, fromEpochMillis, toEpochMillis);
                }
            }
            return builder.build();
        }
    }

    /**
     * A window on one day of every month.
     *
     * @param zone       zone of the day and the start time
     * @param dayOfMonth 1..31; in a shorter month the occurrence falls on its last day
     * @param start      local start time
     * @param duration   elapsed length of each occurrence, 1 ms .. 7 days
     */
    record Monthly(ZoneId zone, int dayOfMonth, LocalTime start, Duration duration) implements MaintenanceSchedule {
        /** Validates. */
        public Monthly {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(start, "start");
            checkDuration(duration);
            if (dayOfMonth < 1 || dayOfMonth > 31) {
                throw new IllegalArgumentException("dayOfMonth must be 1..31 (was " + dayOfMonth + ")");
            }
        }

        @Override
        public IntervalSet occurrences(long fromEpochMillis, long toEpochMillis) {
            if (toEpochMillis <= fromEpochMillis) {
                return IntervalSet.EMPTY;
            }
            // an occurrence lasts at most 7 days, so the month before `from` is enough look-back
            YearMonth first = YearMonth.from(localDate(fromEpochMillis, zone)).minusMonths(1);
            YearMonth last = YearMonth.from(localDate(toEpochMillis, zone));
            IntervalSet.Builder builder = IntervalSet.builder();
            for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                LocalDate date = month.atDay(Math.min(dayOfMonth, month.lengthOfMonth()));
                addOccurrence(builder, date, start, zone, duration, fromEpochMillis, toEpochMillis);
            }
            return builder.build();
        }
    }

    private static void checkDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.toMillis() < 1 || duration.compareTo(MAX_RECURRING_DURATION) > 0) {
            throw new IllegalArgumentException("maintenance duration must be 1 ms .. 7 days (was " + duration + ")");
        }
    }

    private static LocalDate localDate(long epochMillis, ZoneId zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
    }

    private static void addOccurrence(IntervalSet.Builder builder, LocalDate date, LocalTime start, ZoneId zone,
                                      Duration duration, long fromEpochMillis, long toEpochMillis) {
        long startMillis = ZonedDateTime.of(date, start, zone).toInstant().toEpochMilli();
        long endMillis = startMillis + duration.toMillis();
        builder.add(Math.max(startMillis, fromEpochMillis), Math.min(endMillis, toEpochMillis));
    }
}
