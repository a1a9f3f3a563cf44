package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlaPeriodTest {

    private static SlaPeriod period(String kind, String zone) {
        ZoneId zoneId = ZoneId.of(zone);
        return switch (kind) {
            case "month" -> new SlaPeriod.CalendarMonth(zoneId);
            case "week" -> new SlaPeriod.CalendarWeek(zoneId);
            case "quarter" -> new SlaPeriod.CalendarQuarter(zoneId);
            default -> new SlaPeriod.RollingDays(Integer.parseInt(kind.replace("rolling-", "")));
        };
    }

    @ParameterizedTest(name = "{0} in {1} holding {2} is {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # period     | zone             | instant               | start                 | end                   | label       | previous start
            month        | Europe/Berlin    | 2026-03-15T12:00:00Z  | 2026-02-28T23:00:00Z  | 2026-03-31T22:00:00Z  | 2026-03     | 2026-01-31T23:00:00Z
            month        | America/New_York | 2026-11-30T23:00:00Z  | 2026-11-01T04:00:00Z  | 2026-12-01T05:00:00Z  | 2026-11     | 2026-10-01T04:00:00Z
            month        | Asia/Kolkata     | 2026-01-31T19:00:00Z  | 2026-01-31T18:30:00Z  | 2026-02-28T18:30:00Z  | 2026-02     | 2025-12-31T18:30:00Z
            week         | Europe/Berlin    | 2026-11-27T10:00:00Z  | 2026-11-22T23:00:00Z  | 2026-11-29T23:00:00Z  | 2026-W48    | 2026-11-15T23:00:00Z
            week         | Europe/Berlin    | 2027-01-01T10:00:00Z  | 2026-12-27T23:00:00Z  | 2027-01-03T23:00:00Z  | 2026-W53    | 2026-12-20T23:00:00Z
            week         | Europe/Berlin    | 2026-03-30T10:00:00Z  | 2026-03-29T22:00:00Z  | 2026-04-05T22:00:00Z  | 2026-W14    | 2026-03-22T23:00:00Z
            quarter      | Asia/Kolkata     | 2026-12-31T20:00:00Z  | 2026-12-31T18:30:00Z  | 2027-03-31T18:30:00Z  | 2027-Q1     | 2026-09-30T18:30:00Z
            quarter      | Europe/Berlin    | 2026-11-27T10:00:00Z  | 2026-09-30T22:00:00Z  | 2026-12-31T23:00:00Z  | 2026-Q4     | 2026-06-30T22:00:00Z
            rolling-30   | UTC              | 2026-11-27T10:00:00Z  | 2026-10-28T10:00:00Z  | 2026-11-27T10:00:00Z  | rolling-30d | 2026-09-28T10:00:00Z
            """)
    void periodsStartAtLocalMidnight(String kind, String zone, String instant, String start, String end, String label,
                                     String previousStart) {
        SlaPeriod period = period(kind, zone);
        PeriodRange range = period.containing(Instant.parse(instant).toEpochMilli());
        assertThat(range).isEqualTo(new PeriodRange(Instant.parse(start).toEpochMilli(), Instant.parse(end).toEpochMilli(), label));
        PeriodRange previous = period.previous(range);
        assertThat(previous.startMillis()).isEqualTo(Instant.parse(previousStart).toEpochMilli());
        assertThat(previous.endMillis()).isEqualTo(range.startMillis());
    }

    @Test
    void nominalLengthsAreThirtyDaysAMonthSevenAWeekNinetyAQuarter() {
        ZoneId utc = ZoneId.of("UTC");
        assertThat(new SlaPeriod.CalendarMonth(utc).nominalLength()).isEqualTo(Duration.ofDays(30));
        assertThat(new SlaPeriod.CalendarWeek(utc).nominalLength()).isEqualTo(Duration.ofDays(7));
        assertThat(new SlaPeriod.CalendarQuarter(utc).nominalLength()).isEqualTo(Duration.ofDays(90));
        assertThat(new SlaPeriod.RollingDays(28).nominalLength()).isEqualTo(Duration.ofDays(28));
    }

    @Test
    void rollingDaysMustBeBetweenOneAndFourHundred() {
        assertThatThrownBy(() -> new SlaPeriod.RollingDays(0)).hasMessage("rolling days must be 1..400 (was 0)");
    }

    @Test
    void objectivesRejectTargetsOutsideTheOpenUnitInterval() {
        assertThatThrownBy(() -> new AvailabilityObjective(1.0)).hasMessage("availability target must be > 0 and < 1 (was 1.0)");
        assertThatThrownBy(() -> new LatencyRatioObjective(0.99, 0)).hasMessage("thresholdMicros must be 1..3600000000 (was 0)");
        assertThatThrownBy(() -> new LatencyPercentileObjective(100, 1000)).hasMessage("percentile must be > 0 and < 100 (was 100.0)");
        assertThat(new LatencyPercentileObjective(99.9, 1000).target()).isEqualTo(0.999);
    }
}
