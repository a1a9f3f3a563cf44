package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceCalendarTest {

    /**
     * Parses {@code "SUN 00:00-24:00; MON-FRI 09:30-18:00"} into weekly hours.
     */
    static Map<DayOfWeek, List<DailyHours>> hours(String text) {
        Map<DayOfWeek, List<DailyHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (String entry : text.split(";")) {
            String[] parts = entry.strip().split("\\s+");
            String[] days = parts[0].split("-");
            DayOfWeek first = day(days[0]);
            DayOfWeek last = days.length > 1 ? day(days[1]) : first;
            String[] span = parts[1].split("-");
            DailyHours dailyHours = new DailyHours(minuteOfDay(span[0]), minuteOfDay(span[1]));
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                hours.computeIfAbsent(d, k -> new ArrayList<>()).add(dailyHours);
                if (d == last) {
                    break;
                }
            }
        }
        return hours;
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation.toUpperCase())) {
                return d;
            }
        }
        throw new IllegalArgumentException(abbreviation);
    }

    private static int minuteOfDay(String hhmm) {
        String[] p = hhmm.split(":");
        return Integer.parseInt(p[0]) * 60 + Integer.parseInt(p[1]);
    }

    static Set<LocalDate> dates(String text) {
        Set<LocalDate> dates = new HashSet<>();
        if (text != null && !text.isBlank()) {
            for (String d : text.strip().split("\\s+")) {
                dates.add(LocalDate.parse(d));
            }
        }
        return dates;
    }

    /** Parses {@code "2026-03-28T23:00Z/2026-03-29T22:00Z ..."}. */
    static IntervalSet instants(String text) {
        IntervalSet.Builder builder = IntervalSet.builder();
        if (text != null && !text.isBlank()) {
            for (String part : text.strip().split("\\s+")) {
                String[] b = part.split("/");
                builder.add(Instant.parse(fixSeconds(b[0])).toEpochMilli(), Instant.parse(fixSeconds(b[1])).toEpochMilli());
            }
        }
        return builder.build();
    }

    private static String fixSeconds(String instant) {
        return instant.length() == "2026-03-28T23:00Z".length() ? instant.replace("Z", ":00Z") : instant;
    }

    @ParameterizedTest(name = "{0} {1}, holidays [{2}], {3}..{4}: {6} h")
    @CsvSource(delimiter = '|', textBlock = """
            # zone              | weekly hours                      | holidays              | from (local) | to (local) | service time (UTC)                                                                         | hours
            Europe/Berlin       | SUN 00:00-24:00                   |                       | 2026-03-29   | 2026-03-30 | 2026-03-28T23:00Z/2026-03-29T22:00Z                                                        | 23
            Europe/Berlin       | SUN 00:00-24:00                   |                       | 2026-10-25   | 2026-10-26 | 2026-10-24T22:00Z/2026-10-25T23:00Z                                                        | 25
            Europe/Berlin       | SUN 02:00-03:00                   |                       | 2026-03-29   | 2026-03-30 |                                                                                            | 0
            Europe/Berlin       | SUN 02:30-04:00                   |                       | 2026-03-29   | 2026-03-30 | 2026-03-29T01:30Z/2026-03-29T02:00Z                                                        | 0.5
            Europe/Berlin       | SUN 02:00-03:00                   |                       | 2026-10-25   | 2026-10-26 | 2026-10-25T00:00Z/2026-10-25T02:00Z                                                        | 2
            Europe/Berlin       | SUN 02:30-02:45                   |                       | 2026-10-25   | 2026-10-26 | 2026-10-25T00:30Z/2026-10-25T00:45Z                                                        | 0.25
            America/New_York    | SUN 00:00-24:00                   |                       | 2026-03-08   | 2026-03-09 | 2026-03-08T05:00Z/2026-03-09T04:00Z                                                        | 23
            America/New_York    | SUN 00:00-24:00                   |                       | 2026-11-01   | 2026-11-02 | 2026-11-01T04:00Z/2026-11-02T05:00Z                                                        | 25
            America/New_York    | FRI 09:00-17:00; MON 09:00-17:00  |                       | 2026-03-06   | 2026-03-10 | 2026-03-06T14:00Z/2026-03-06T22:00Z 2026-03-09T13:00Z/2026-03-09T21:00Z                    | 16
            Asia/Kolkata        | MON-FRI 09:30-18:00               |                       | 2026-01-05   | 2026-01-12 | 2026-01-05T04:00Z/2026-01-05T12:30Z 2026-01-06T04:00Z/2026-01-06T12:30Z 2026-01-07T04:00Z/2026-01-07T12:30Z 2026-01-08T04:00Z/2026-01-08T12:30Z 2026-01-09T04:00Z/2026-01-09T12:30Z | 42.5
            Europe/Berlin       | MON-FRI 08:00-18:00               | 2026-12-24 2026-12-25 | 2026-12-21   | 2026-12-28 | 2026-12-21T07:00Z/2026-12-21T17:00Z 2026-12-22T07:00Z/2026-12-22T17:00Z 2026-12-23T07:00Z/2026-12-23T17:00Z | 30
            Europe/Berlin       | FRI 22:00-24:00; SAT 00:00-02:00  |                       | 2026-01-09   | 2026-01-11 | 2026-01-09T21:00Z/2026-01-10T01:00Z                                                        | 4
            Europe/Berlin       | MON 08:00-12:00; MON 10:00-14:00  |                       | 2026-01-05   | 2026-01-06 | 2026-01-05T07:00Z/2026-01-05T13:00Z                                                        | 6
            Australia/Lord_Howe | SUN 00:00-24:00                   |                       | 2026-10-04   | 2026-10-05 | 2026-10-03T13:30Z/2026-10-04T13:00Z                                                        | 23.5
            """)
    void serviceTimeFollowsTheZonesRules(String zone, String weekly, String holidays, String fromDate, String toDate,
                                         String expected, double hours) {
        ZoneId zoneId = ZoneId.of(zone);
        ServiceCalendar calendar = new ServiceCalendar("hours", zoneId, hours(weekly), dates(holidays));
        long from = LocalDate.parse(fromDate).atStartOfDay(zoneId).toInstant().toEpochMilli();
        long to = LocalDate.parse(toDate).atStartOfDay(zoneId).toInstant().toEpochMilli();
        IntervalSet serviceTime = calendar.serviceTime(from, to);
        assertThat(serviceTime).isEqualTo(instants(expected));
        assertThat(serviceTime.totalMillis()).isEqualTo(Math.round(hours * 3_600_000));
    }

    @Test
    void serviceTimeIsClippedToTheRange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ServiceCalendar calendar = new ServiceCalendar("office", berlin, hours("MON-FRI 08:00-18:00"), Set.of());
        long from = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-01-06T08:30:00Z").toEpochMilli();
        assertThat(calendar.serviceTime(from, to))
                .isEqualTo(instants("2026-01-05T10:00Z/2026-01-05T17:00Z 2026-01-06T07:00Z/2026-01-06T08:30Z"));
        assertThat(calendar.serviceTime(to, from)).isEqualTo(IntervalSet.EMPTY);
    }

    @Test
    void anAlwaysOnCalendarIsEveryInstant() {
        ServiceCalendar calendar = ServiceCalendar.alwaysOn("24x7");
        assertThat(calendar.isAlwaysOn()).isTrue();
        assertThat(calendar.serviceTime(5, 1_000)).isEqualTo(IntervalSet.of(5, 1_000));
    }

    @Test
    void dailyHoursRejectSpansOutsideTheDay() {
        assertThatThrownBy(() -> new DailyHours(600, 600)).hasMessage("endMinute must be 601..1440 (was 600)");
        assertThatThrownBy(() -> new DailyHours(-1, 600)).hasMessage("startMinute must be 0..1439 (was -1)");
        assertThatThrownBy(() -> new DailyHours(0, 1441)).hasMessage("endMinute must be 1..1440 (was 1441)");
    }

    @Test
    void weeklyMaintenanceLastsItsElapsedDurationAcrossSpringForward() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        MaintenanceSchedule sundayNight = new MaintenanceSchedule.Weekly(berlin, Set.of(DayOfWeek.SUNDAY),
                LocalTime.of(1, 0), Duration.ofHours(4));
        long from = Instant.parse("2026-03-28T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-04-06T00:00:00Z").toEpochMilli();
        // 01:00 CET is 00:00Z; four hours later it is 06:00 CEST. A week later 01:00 CEST is 23:00Z.
        assertThat(sundayNight.occurrences(from, to))
                .isEqualTo(instants("2026-03-29T00:00Z/2026-03-29T04:00Z 2026-04-04T23:00Z/2026-04-05T03:00Z"));
    }

    @Test
    void aMaintenanceStartInTheSpringForwardGapMovesForwardByTheGap() {
        ZoneId newYork = ZoneId.of("America/New_York");
        MaintenanceSchedule schedule = new MaintenanceSchedule.Weekly(newYork, Set.of(DayOfWeek.SUNDAY),
                LocalTime.of(2, 30), Duration.ofMinutes(45));
        long from = Instant.parse("2026-03-08T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-03-09T00:00:00Z").toEpochMilli();
        // 02:30 does not exist; it becomes 03:30 EDT = 07:30Z
        assertThat(schedule.occurrences(from, to)).isEqualTo(instants("2026-03-08T07:30Z/2026-03-08T08:15Z"));
    }

    @Test
    void anOccurrenceStartedBeforeTheRangeCountsForItsRemainder() {
        MaintenanceSchedule schedule = new MaintenanceSchedule.Weekly(ZoneId.of("UTC"), Set.of(DayOfWeek.SATURDAY),
                LocalTime.of(22, 0), Duration.ofDays(2));
        long from = Instant.parse("2026-01-12T00:00:00Z").toEpochMilli(); // Monday
        long to = Instant.parse("2026-01-13T00:00:00Z").toEpochMilli();
        assertThat(schedule.occurrences(from, to)).isEqualTo(instants("2026-01-12T00:00Z/2026-01-12T22:00Z"));
    }

    @Test
    void monthlyMaintenanceOnThe31stFallsOnTheLastDayOfShorterMonths() {
        MaintenanceSchedule schedule = new MaintenanceSchedule.Monthly(ZoneId.of("Asia/Kolkata"), 31,
                LocalTime.of(23, 0), Duration.ofHours(2));
        long from = Instant.parse("2026-01-15T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-04-15T00:00:00Z").toEpochMilli();
        assertThat(schedule.occurrences(from, to)).isEqualTo(instants(
                "2026-01-31T17:30Z/2026-01-31T19:30Z 2026-02-28T17:30Z/2026-02-28T19:30Z 2026-03-31T17:30Z/2026-03-31T19:30Z"));
    }

    @Test
    void aOneOffWindowIsClippedToTheRange() {
        MaintenanceWindow window = new MaintenanceWindow("m-1", Set.of("shop"),
                new MaintenanceSchedule.OneOff(Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T12:00:00Z")),
                "alice", "database upgrade", Instant.parse("2026-01-01T09:00:00Z"));
        long from = Instant.parse("2026-01-05T11:00:00Z").toEpochMilli();
        assertThat(window.occurrences(from, from + 3_600_000 * 5)).isEqualTo(instants("2026-01-05T11:00Z/2026-01-05T12:00Z"));
        assertThat(window.appliesTo("shop")).isTrue();
        assertThat(window.appliesTo("search")).isFalse();
    }

    @Test
    void aWindowNamingNoServiceAppliesToEveryService() {
        MaintenanceWindow window = new MaintenanceWindow("m-2", Set.of(),
                new MaintenanceSchedule.OneOff(Instant.EPOCH, Instant.ofEpochSecond(1)), "ops", "network", Instant.EPOCH);
        assertThat(window.appliesTo("anything")).isTrue();
    }

    @Test
    void maintenanceRejectsAnEndBeforeItsStartAndAnOverlongRecurrence() {
        assertThatThrownBy(() -> new MaintenanceSchedule.OneOff(Instant.ofEpochSecond(5), Instant.ofEpochSecond(5)))
                .hasMessage("maintenance end (1970-01-01T00:00:05Z) must be after its start (1970-01-01T00:00:05Z)");
        assertThatThrownBy(() -> new MaintenanceSchedule.Weekly(ZoneId.of("UTC"), Set.of(DayOfWeek.MONDAY),
                LocalTime.NOON, Duration.ofDays(8))).hasMessage("maintenance duration must be 1 ms .. 7 days (was PT192H)");
        assertThatThrownBy(() -> new MaintenanceSchedule.Monthly(ZoneId.of("UTC"), 32, LocalTime.NOON, Duration.ofHours(1)))
                .hasMessage("dayOfMonth must be 1..31 (was 32)");
    }
}
