package dev.vigil.collector.sla;

import static dev.vigil.collector.sla.SampleScript.MINUTE;
import static dev.vigil.collector.sla.SampleScript.minute;
import static dev.vigil.collector.sla.SampleScript.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collector.state.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlaEvaluatorTest {
    private static final long HOUR = 60 * MINUTE;
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private static SlaEvaluator evaluator(StateTimeline timeline, NoDataPolicy policy, ServiceCalendar calendar,
                                          List<MaintenanceWindow> maintenance, SlaPeriod period, LatencySource latency,
                                          Objective... objectives) {
        SlaDefinition sla = new SlaDefinition("gold", List.of(objectives), period, calendar.name(), policy);
        return new SlaEvaluator("shop", sla, calendar, maintenance, timeline, latency);
    }

    private static SlaEvaluator availability(StateTimeline timeline, NoDataPolicy policy, ServiceCalendar calendar,
                                             List<MaintenanceWindow> maintenance, double target) {
        return evaluator(timeline, policy, calendar, maintenance, new SlaPeriod.CalendarMonth(calendar.zone()), null,
                new AvailabilityObjective(target));
    }

    /** Samples every {@code stepMillis} in [from, to), failing where {@code failing} says, received on time. */
    private static CheckTimeline sampled(long from, long to, long stepMillis, long noDataAfterMillis,
                                         Thresholds thresholds, LongPredicate failing) {
        CheckTimeline timeline = new CheckTimeline(thresholds, noDataAfterMillis);
        for (long t = from; t < to; t += stepMillis) {
            timeline.apply(t, !failing.test(t), t);
        }
        return timeline;
    }

    private static long at(String localDateTime, String zone) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
    }

    private static OneOffBuilder oneOff(String id, long start, long end) {
        return new OneOffBuilder(id, start, end);
    }

    private record OneOffBuilder(String id, long start, long end) {
        MaintenanceWindow by(String who, String why, String... services) {
            return new MaintenanceWindow(id, Set.of(services),
                    new MaintenanceSchedule.OneOff(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)), who, why, CREATED);
        }
    }

    @ParameterizedTest(name = "no data {0}: agreed {1} min, downtime {2} min")
    @CsvSource(delimiter = '|', textBlock = """
            # policy | agreed (min) | downtime (min) | availability
            EXCLUDE  | 14           | 2              | 0.857142857142857
            DOWN     | 24           | 12             | 0.5
            UP       | 24           | 2              | 0.916666666666667
            """)
    void theNoDataPolicyDecidesHowSilenceCounts(NoDataPolicy policy, long agreedMinutes, long downtimeMinutes,
                                                double availability) {
        // down 2..4; silent after minute 5, so no data from 10 to the next sample at 20
        CheckTimeline timeline = timeline("++xx++" + ".".repeat(14) + "++++");
        SlaResult result = availability(timeline, policy, ServiceCalendar.alwaysOn("24x7"), List.of(), 0.9)
                .evaluate(minute(0), minute(24), minute(24));
        assertThat(result.noDataMillis()).isEqualTo(10 * MINUTE);
        assertThat(result.noDataPolicy()).isEqualTo(policy);
        assertThat(result.agreedMillis()).isEqualTo(agreedMinutes * MINUTE);
        assertThat(result.downtimeMillis()).isEqualTo(downtimeMinutes * MINUTE);
        assertThat(result.availability().getAsDouble()).isCloseTo(availability, within(1e-12));
        assertThat(result.outages()).hasSize(1);
    }

    @Test
    void maintenanceOverlappingAnOutageExcludesItsPartAndTheReportSaysWhoAndWhy() {
        CheckTimeline timeline = timeline("+".repeat(10) + "x".repeat(60) + "+".repeat(110), new Thresholds(1, 1), 5, 0);
        List<MaintenanceWindow> maintenance = List.of(
                oneOff("m-7", minute(40), minute(130)).by("alice", "database failover test", "shop"),
                oneOff("m-8", minute(0), minute(180)).by("bob", "other team's upgrade", "search"));
        SlaResult result = availability(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), maintenance, 0.99)
                .evaluate(minute(0), minute(180), minute(180));

        assertThat(result.serviceHoursMillis()).isEqualTo(180 * MINUTE);
        assertThat(result.maintenanceMillis()).isEqualTo(90 * MINUTE);
        assertThat(result.maintenance()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("m-7");
            assertThat(m.createdBy()).isEqualTo("alice");
            assertThat(m.reason()).isEqualTo("database failover test");
            assertThat(m.excludedMillis()).isEqualTo(90 * MINUTE);
        });
        assertThat(result.agreedMillis()).isEqualTo(90 * MINUTE);
        assertThat(result.downtimeMillis()).isEqualTo(30 * MINUTE);
        assertThat(result.availability()).hasValue(1 - 30.0 / 90);
        assertThat(result.outages()).singleElement().satisfies(o -> {
            assertThat(o.outage()).isEqualTo(new OutageRecord(minute(10), OptionalLong.of(minute(70)), minute(10)));
            assertThat(o.durationMillis()).isEqualTo(60 * MINUTE);
            assertThat(o.downtimeMillis()).isEqualTo(30 * MINUTE);
        });
        assertThat(result.mttrMillis()).hasValue(60 * MINUTE);
    }

    @Test
    void onlyServiceHoursOutsideHolidaysCount() {
        String berlin = "Europe/Berlin";
        ServiceCalendar office = new ServiceCalendar("office", ZoneId.of(berlin),
                ServiceCalendarTest.hours("MON-FRI 08:00-18:00"), Set.of(LocalDate.parse("2026-12-24"), LocalDate.parse("2026-12-25")));
        long outageStart = at("2026-12-23T16:00", berlin);
        long outageEnd = at("2026-12-28T09:00", berlin);
        CheckTimeline timeline = sampled(at("2026-12-14T00:00", berlin), at("2027-01-05T00:00", berlin), 10 * MINUTE,
                30 * MINUTE, new Thresholds(1, 1), t -> t >= outageStart && t < outageEnd);
        SlaEvaluator evaluator = evaluator(timeline, NoDataPolicy.EXCLUDE, office, List.of(),
                new SlaPeriod.CalendarWeek(ZoneId.of(berlin)), null, new AvailabilityObjective(0.9));
        long now = at("2027-01-04T12:00", berlin);
        SlaResult week = evaluator.evaluate(new SlaPeriod.CalendarWeek(ZoneId.of(berlin)).containing(at("2026-12-23T12:00", berlin)), now);

        assertThat(week.label()).isEqualTo("2026-W52");
        assertThat(week.serviceHoursMillis()).isEqualTo(30 * HOUR);
        assertThat(week.downtimeMillis()).isEqualTo(2 * HOUR);
        assertThat(week.availability()).hasValue(1 - 2.0 / 30);
        assertThat(week.outagesStarted()).isEqualTo(1);
        assertThat(week.outagesEnded()).isZero();
        assertThat(week.mttrMillis()).isEmpty();
        assertThat(week.mtbfMillis()).hasValue(28.0 * HOUR);
        assertThat(week.objectives().get(0).met()).isTrue();

        SlaResult nextWeek = evaluator.evaluate(new SlaPeriod.CalendarWeek(ZoneId.of(berlin)).previous(
                new SlaPeriod.CalendarWeek(ZoneId.of(berlin)).containing(now)), now);
        assertThat(nextWeek.label()).isEqualTo("2026-W53");
        assertThat(nextWeek.downtimeMillis()).isEqualTo(HOUR);
        assertThat(nextWeek.outagesEnded()).isEqualTo(1);
        assertThat(nextWeek.mttrMillis()).hasValue((double) (outageEnd - outageStart));
    }

    @ParameterizedTest(name = "{0} {1}: {2} agreed hours")
    @CsvSource(delimiter = '|', textBlock = """
            # zone            | month   | agreed hours
            Europe/Berlin     | 2026-03 | 743
            Europe/Berlin     | 2026-10 | 745
            America/New_York  | 2026-03 | 743
            America/New_York  | 2026-11 | 721
            Asia/Kolkata      | 2026-03 | 744
            Australia/Lord_Howe | 2026-10 | 743.5
            """)
    void aMonthInAZoneWithDaylightSavingHasItsRealLength(String zone, String month, double hours) {
        ZoneId zoneId = ZoneId.of(zone);
        ServiceCalendar calendar = new ServiceCalendar("local", zoneId, ServiceCalendarTest.hours("MON-SUN 00:00-24:00"), Set.of());
        long mid = LocalDate.parse(month + "-15").atStartOfDay(zoneId).toInstant().toEpochMilli();
        CheckTimeline timeline = sampled(mid - 40 * 24 * HOUR, mid + 40 * 24 * HOUR, HOUR, 2 * HOUR, Thresholds.DEFAULT, t -> false);
        SlaEvaluator evaluator = availability(timeline, NoDataPolicy.EXCLUDE, calendar, List.of(), 0.999);
        SlaResult result = evaluator.evaluate(new SlaPeriod.CalendarMonth(zoneId).containing(mid), mid + 40 * 24 * HOUR);
        assertThat(result.label()).isEqualTo(month);
        assertThat(result.agreedMillis()).isEqualTo(Math.round(hours * HOUR));
        assertThat(result.availability()).hasValue(1.0);
    }

    @ParameterizedTest(name = "{0}: outage {1}..{2} local counts {3} min")
    @CsvSource(delimiter = '|', textBlock = """
            # zone             | outage start (local) | outage end (local) | downtime (min) | calendar
            Europe/Berlin      | 2026-10-25T01:30     | 2026-10-25T03:30   | 180            | SUN 00:00-24:00
            Europe/Berlin      | 2026-03-29T01:30     | 2026-03-29T03:30   | 60             | SUN 00:00-24:00
            America/New_York   | 2026-11-01T00:30     | 2026-11-01T02:30   | 180            | SUN 00:00-24:00
            America/New_York   | 2026-03-08T01:00     | 2026-03-08T04:00   | 120            | SUN 00:00-24:00
            Europe/Berlin      | 2026-10-25T01:30     | 2026-10-25T03:30   | 120            | SUN 02:00-03:00
            Asia/Kolkata       | 2026-01-05T09:15     | 2026-01-05T09:45   | 15             | MON-FRI 09:30-18:00
            Asia/Kolkata       | 2026-01-05T17:50     | 2026-01-06T09:40   | 20             | MON-FRI 09:30-18:00
            """)
    void anOutageAcrossAClockChangeCountsItsElapsedTimeWithinServiceHours(String zone, String start, String end,
                                                                         long downtimeMinutes, String hours) {
        ZoneId zoneId = ZoneId.of(zone);
        ServiceCalendar calendar = new ServiceCalendar("local", zoneId, ServiceCalendarTest.hours(hours), Set.of());
        long outageStart = at(start, zone);
        long outageEnd = at(end, zone);
        long dayStart = LocalDate.parse(start.substring(0, 10)).atStartOfDay(zoneId).toInstant().toEpochMilli();
        CheckTimeline timeline = sampled(dayStart - HOUR, dayStart + 3 * 24 * HOUR, 5 * MINUTE, 15 * MINUTE,
                new Thresholds(1, 1), t -> t >= outageStart && t < outageEnd);
        SlaResult result = availability(timeline, NoDataPolicy.EXCLUDE, calendar, List.of(), 0.99)
                .evaluate(dayStart, dayStart + 2 * 24 * HOUR, dayStart + 3 * 24 * HOUR);
        assertThat(result.downtimeMillis()).isEqualTo(downtimeMinutes * MINUTE);
        assertThat(result.outages()).singleElement()
                .satisfies(o -> assertThat(o.durationMillis()).isEqualTo(outageEnd - outageStart));
    }

    @Test
    void mttrMtbfAndMttdFollowTheirDefinitionsByHand() {
        long day = Instant.parse("2026-01-06T00:00:00Z").toEpochMilli();
        // outage [start, end) in minutes after midnight, and how long after its start it was detected
        long[][] outages = {{-30, 15, 1}, {60, 90, 2}, {600, 660, 5}, {1410, 1470, 8}};
        CheckTimeline timeline = new CheckTimeline(new Thresholds(1, 1), 5 * MINUTE);
        for (long t = day - 2 * HOUR; t < day + 2 * 24 * HOUR; t += MINUTE) {
            long m = (t - day) / MINUTE;
            boolean failing = false;
            long delay = 0;
            for (long[] o : outages) {
                failing |= m >= o[0] && m < o[1];
                delay = m == o[0] ? o[2] * MINUTE : delay;
            }
            timeline.apply(t, !failing, t + delay);
        }
        SlaResult result = availability(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(), 0.9)
                .evaluate(day, day + 24 * HOUR, day + 2 * 24 * HOUR);
        assertThat(result.outages()).hasSize(4);
        assertThat(result.downtimeMillis()).isEqualTo((15 + 30 + 60 + 30) * MINUTE);
        assertThat(result.outagesStarted()).isEqualTo(3);
        assertThat(result.outagesEnded()).isEqualTo(3);
        assertThat(result.mttrMillis()).hasValue((45 + 30 + 60) * MINUTE / 3.0);
        assertThat(result.mtbfMillis()).hasValue((1440 - 135) * MINUTE / 3.0);
        assertThat(result.mttdMillis()).hasValue((2 + 5 + 8) * MINUTE / 3.0);
        assertThat(result.outages().get(3).downtimeMillis()).isEqualTo(30 * MINUTE);
        assertThat(result.outages().get(3).durationMillis()).isEqualTo(60 * MINUTE);
    }

    @ParameterizedTest(name = "{0} s down of a 30-day month at 99.9 %: budget left {1}, met {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # downtime (s) | budget remaining | met
            0              | 1.0              | true
            1296           | 0.5              | true
            2592           | 0.0              | true
            2593           | -0.000385802469  | false
            5184           | -1.0             | false
            """)
    void theErrorBudgetIsWhatIsLeftOfTheAllowedDowntime(long downtimeSeconds, double remaining, boolean met) {
        long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
        long may = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
        CheckTimeline timeline = new CheckTimeline(new Thresholds(1, 1), Duration.ofDays(31).toMillis());
        timeline.apply(april - 1, true, april);
        long outageStart = april + 10 * 24 * HOUR;
        if (downtimeSeconds > 0) {
            timeline.apply(outageStart, false, outageStart);
        }
        timeline.apply(outageStart + downtimeSeconds * 1000, true, outageStart);
        timeline.apply(may, true, may);
        SlaResult result = availability(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(), 0.999)
                .evaluate(new SlaPeriod.CalendarMonth(ZoneOffset.UTC).containing(april), may + 1);
        ObjectiveResult objective = result.objectives().get(0);
        assertThat(objective.total()).isEqualTo(30 * 24 * HOUR);
        assertThat(objective.bad()).isEqualTo(downtimeSeconds * 1000);
        assertThat(objective.unit()).isEqualTo(ObjectiveResult.Unit.MILLISECONDS);
        assertThat(objective.errorBudgetRemaining()).isCloseTo(remaining, within(1e-9));
        assertThat(objective.met()).isEqualTo(met);
        assertThat(objective.measured()).hasValue(1 - downtimeSeconds / 2_592_000.0);
    }

    @Test
    void latencyCountsTheBucketOfTheFirstSampleAfterASilenceUnderTheExcludePolicy() {
        SampleLatencySource latency = new SampleLatencySource();
        CheckTimeline timeline = new CheckTimeline(Thresholds.DEFAULT, 5 * MINUTE);
        // minutes 0..10, then silence (no data from 15 to 40), then minutes 40..59: the bucket starting
        // at 30 begins in no-data time but holds the samples of minutes 40..44
        for (int m = 0; m < 60; m++) {
            if (m <= 10 || m >= 40) {
                timeline.apply(minute(m), true, minute(m));
                latency.add(minute(m), true, 100_000);
            }
        }
        LatencyRatioObjective ratio = new LatencyRatioObjective(0.9, 300_000);
        SlaResult result = evaluator(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(),
                new SlaPeriod.RollingDays(30), latency, ratio).evaluate(minute(0), minute(60), minute(60));

        assertThat(result.noDataMillis()).isEqualTo(25 * MINUTE);
        assertThat(result.objectives().get(0).total()).isEqualTo(31);
    }

    @Test
    void latencyObjectivesCountTheSamplesOfBucketsStartingInAgreedTime() {
        SampleLatencySource latency = new SampleLatencySource();
        CheckTimeline timeline = new CheckTimeline(Thresholds.DEFAULT, 5 * MINUTE);
        // one sample a minute for two hours; the first hour fast, the second slow; one failure
        for (int m = 0; m < 120; m++) {
            boolean success = m != 30;
            timeline.apply(minute(m), success, minute(m));
            latency.add(minute(m), success, m < 60 ? 100_000 : 400_000);
        }
        // maintenance from 1:10 to 1:40: the buckets starting at 1:15 and 1:30 leave, the one at 1:00 stays
        List<MaintenanceWindow> maintenance = List.of(oneOff("m-1", minute(70), minute(100)).by("ops", "migration"));
        LatencyRatioObjective ratio = new LatencyRatioObjective(0.9, 300_000);
        LatencyPercentileObjective p90 = new LatencyPercentileObjective(90, 300_000);
        LatencyPercentileObjective p50 = new LatencyPercentileObjective(50, 300_000);
        SlaResult result = evaluator(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), maintenance,
                new SlaPeriod.RollingDays(30), latency, ratio, p90, p50).evaluate(minute(0), minute(120), minute(120));

        ObjectiveResult ratioResult = result.objectives().get(0);
        assertThat(ratioResult.total()).isEqualTo(90);
        assertThat(ratioResult.bad()).isEqualTo(31);
        assertThat(ratioResult.unit()).isEqualTo(ObjectiveResult.Unit.SAMPLES);
        assertThat(ratioResult.met()).isFalse();
        ObjectiveResult p90Result = result.objectives().get(1);
        assertThat(p90Result.total()).isEqualTo(89);
        assertThat(p90Result.bad()).isEqualTo(30);
        assertThat(p90Result.percentileMicros()).hasValue(400_000);
        assertThat(p90Result.met()).isFalse();
        ObjectiveResult p50Result = result.objectives().get(2);
        assertThat(p50Result.percentileMicros()).hasValue(100_000);
        assertThat(p50Result.met()).isTrue();
        assertThat(p50Result.errorBudgetRemaining()).isCloseTo(1 - 30 / (0.5 * 89), within(1e-9));
    }

    @Test
    void aRangeReachingIntoTheFutureCountsUpToNow() {
        long day = Instant.parse("2026-01-06T00:00:00Z").toEpochMilli();
        CheckTimeline timeline = sampled(day - HOUR, day + 12 * HOUR, MINUTE, 5 * MINUTE, Thresholds.DEFAULT, t -> false);
        SlaResult result = availability(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(), 0.99)
                .evaluate(day, day + 24 * HOUR, day + 12 * HOUR);
        assertThat(result.countedUntilMillis()).isEqualTo(day + 12 * HOUR);
        assertThat(result.agreedMillis()).isEqualTo(12 * HOUR);
        SlaResult future = availability(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(), 0.99)
                .evaluate(day + 24 * HOUR, day + 48 * HOUR, day + 12 * HOUR);
        assertThat(future.agreedMillis()).isZero();
        assertThat(future.availability()).isEqualTo(OptionalDouble.empty());
        assertThat(future.objectives().get(0).met()).isTrue();
        assertThat(future.objectives().get(0).errorBudgetRemaining()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "down for the last {0} min, up for {1} since: firing {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # down (min) | up since (min) | 14.4x 1h/5m | 6x 6h/30m | 3x 1d/2h | 1x 3d/6h | 1h burn    | 5m burn
            10           | 0              | true        | true      | true     | true     | 166.666667 | 1000
            10           | 10             | false       | true      | true     | true     | 166.666667 | 0
            2            | 0              | true        | false     | false    | false    | 33.333333  | 400
            40           | 30             | false       | false     | true     | true     | 500        | 0
            """)
    void burnRatesFireWhenBothWindowsBurnAboveTheFactor(long downMinutes, long upMinutes, boolean page1, boolean page2,
                                                        boolean ticket1, boolean ticket2, double hourBurn, double fiveMinuteBurn) {
        long now = Instant.parse("2026-01-20T12:00:00Z").toEpochMilli();
        long outageEnd = now - upMinutes * MINUTE;
        long outageStart = outageEnd - downMinutes * MINUTE;
        CheckTimeline timeline = sampled(now - 10 * 24 * HOUR, now, MINUTE, 5 * MINUTE, new Thresholds(1, 1),
                t -> t >= outageStart && t < outageEnd);
        AvailabilityObjective objective = new AvailabilityObjective(0.999);
        BurnRates rates = evaluator(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(),
                new SlaPeriod.CalendarMonth(ZoneOffset.UTC), null, objective).burnRates(objective, now);
        assertThat(rates.alerts()).extracting(BurnRateAlert::firing).containsExactly(page1, page2, ticket1, ticket2);
        assertThat(rates.alerts().get(0).longBurnRate()).isCloseTo(hourBurn, within(1e-6));
        assertThat(rates.alerts().get(0).shortBurnRate()).isCloseTo(fiveMinuteBurn, within(1e-6));
        assertThat(rates.anyFiring()).isTrue();
    }

    @Test
    void burnRateWindowsScaleWithThePeriod() {
        CheckTimeline timeline = timeline("+");
        SlaEvaluator weekly = evaluator(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(),
                new SlaPeriod.RollingDays(7), null, new AvailabilityObjective(0.99));
        assertThat(weekly.burnRateRules()).extracting(BurnRateRule::longWindow).containsExactly(
                Duration.ofMinutes(14), Duration.ofMinutes(84), Duration.ofMinutes(336), Duration.ofMinutes(1008));
        assertThat(weekly.burnRateRules()).extracting(BurnRateRule::shortWindow).containsExactly(
                Duration.ofSeconds(70), Duration.ofMinutes(7), Duration.ofMinutes(28), Duration.ofMinutes(84));
        assertThat(weekly.burnRateRules()).extracting(BurnRateRule::factor).containsExactly(14.4, 6.0, 3.0, 1.0);
        SlaEvaluator quarterly = evaluator(timeline, NoDataPolicy.EXCLUDE, ServiceCalendar.alwaysOn("24x7"), List.of(),
                new SlaPeriod.CalendarQuarter(ZoneOffset.UTC), null, new AvailabilityObjective(0.99));
        assertThat(quarterly.burnRateRules().get(0).longWindow()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void theCalendarMustBeTheOneTheSlaNames() {
        SlaDefinition sla = new SlaDefinition("gold", List.of(new AvailabilityObjective(0.99)),
                new SlaPeriod.RollingDays(30), "office", NoDataPolicy.EXCLUDE);
        assertThatThrownBy(() -> new SlaEvaluator("shop", sla, ServiceCalendar.alwaysOn("24x7"), List.of(), timeline("+"), null))
                .hasMessage("SLA gold names calendar office but was given calendar 24x7");
        SlaDefinition latency = new SlaDefinition("fast", List.of(new LatencyRatioObjective(0.99, 1000)),
                new SlaPeriod.RollingDays(30), "24x7", NoDataPolicy.EXCLUDE);
        assertThatThrownBy(() -> new SlaEvaluator("shop", latency, ServiceCalendar.alwaysOn("24x7"), List.of(), timeline("+"), null))
                .hasMessage("SLA fast has latency objectives but no latency source");
    }
}
