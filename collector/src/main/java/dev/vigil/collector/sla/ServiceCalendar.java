package dev.vigil.collector.sla;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agreed service hours of an SLA: weekly hours in an IANA time zone, minus holiday dates in that
 * zone.
 *
 * <p>Wall-clock times are turned into instants by the zone's rules, as {@link ZonedDateTime#of} does:
 * a local time inside a daylight-saving gap (spring forward) moves forward by the gap's length, so
 * 02:30 on the Europe/Berlin spring-forward day is 03:30 CEST; a local time inside an overlap (fall
 * back) takes the earlier offset, so 02:30 on the fall-back day is 02:30 CEST. Hence hours
 * 00:00–24:00 make a 23-hour day in spring and a 25-hour day in autumn, and hours 02:00–03:00 are
 * empty on the spring-forward day and two hours long on the fall-back day.
 *
 * @param name        the calendar's name, referenced by SLAs
 * @param zone        the zone of the weekly hours and the holiday dates
 * @param weeklyHours hours per day of the week; a day without entry has no service hours; spans of
 *                    one day may overlap (they are united)
 * @param holidays    local dates without service hours
 */
public record ServiceCalendar(String name, ZoneId zone, Map<DayOfWeek, List<DailyHours>> weeklyHours,
                              Set<LocalDate> holidays) {

    /** Validates and copies the maps and sets. */
    public ServiceCalendar {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("calendar name must not be blank");
        }
        Objects.requireNonNull(zone, "zone of calendar " + name);
        Objects.requireNonNull(weeklyHours, "weeklyHours of calendar " + name);
        Objects.requireNonNull(holidays, "holidays of calendar " + name);
        EnumMap<DayOfWeek, List<DailyHours>> copy = new EnumMap<>(DayOfWeek.class);
        weeklyHours.forEach((day, hours) -> {
            Objects.requireNonNull(day, "day of week in calendar " + name);
            Objects.requireNonNull(hours, "hours of " + day + " in calendar " + name);
            copy.put(day, List.copyOf(hours));
        });
        weeklyHours = Map.copyOf(copy);
        holidays = Set.copyOf(holidays);
    }

    /** A 24x7 calendar in UTC without holidays. */
    public static ServiceCalendar alwaysOn(String name) {
        EnumMap<DayOfWeek, List<DailyHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            hours.put(day, List.of(DailyHours.ALL_DAY));
        }
        return new ServiceCalendar(name, ZoneOffset.UTC, hours, Set.of());
    }

    /** Whether every instant is service time: all seven days 00:00–24:00 and no holiday. */
    public boolean isAlwaysOn() {
        if (!holidays.isEmpty()) {
            return false;
        }
        for (DayOfWeek day : DayOfWeek.values()) {
            List<DailyHours> hours = weeklyHours.get(day);
            if (hours == null || !hours.contains(DailyHours.ALL_DAY)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The service hours within {@code [fromEpochMillis, toEpochMillis)}.
     *
     * @param fromEpochMillis start of the range, inclusive
     * @param toEpochMillis   end of the range, exclusive; an empty set when not after the start
     */
    public IntervalSet serviceTime(long fromEpochMillis, long toEpochMillis) {
        if (toEpochMillis <= fromEpochMillis) {
            return IntervalSet.EMPTY;
        }
        if (isAlwaysOn()) {
            return IntervalSet.of(fromEpochMillis, toEpochMillis);
        }
        // one day of margin each side: a local day may start before `from` in UTC and end after it
        LocalDate first = ZonedDateTime.ofInstant(Instant.ofEpochMilli(fromEpochMillis), zone)
                .toLocalDate().minusDays(1);
        LocalDate last = ZonedDateTime.ofInstant(Instant.ofEpochMilli(toEpochMillis), zone)
                .toLocalDate().plusDays(1);
        IntervalSet.Builder builder = IntervalSet.builder();
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            if (holidays.contains(date)) {
                continue;
            }
            List<DailyHours> hours = weeklyHours.get(date.getDayOfWeek());
            if (hours == null) {
                continue;
            }
            for (DailyHours span : hours) {
                long start = localMinuteToEpochMillis(date, span.startMinute());
                long end = localMinuteToEpochMillis(date, span.endMinute());
                builder.add(Math.max(start, fromEpochMillis), Math.min(end, toEpochMillis));
            }
        }
        return builder.build();
    }

    private long localMinuteToEpochMillis(LocalDate date, int minuteOfDay) {
        LocalDateTime local = date.atStartOfDay().plusMinutes(minuteOfDay);
        return ZonedDateTime.of(local, zone).toInstant().toEpochMilli();
    }
}
