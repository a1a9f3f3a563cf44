package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collector.state.Thresholds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random months through the timelines and the evaluator, checked against a naive reference that shares
 * no code with them: it re-derives every instant at which anything can change (samples, silence
 * limits, state changes, calendar and maintenance bounds, each computed its own way from the zone's
 * transitions), evaluates the state at the start of each elementary segment from the raw samples,
 * and adds up segment lengths. Figures must agree to the millisecond.
 *
 * <p>Run one scenario with {@code -Dvigil.oracle.seed=<seed> -Dvigil.oracle.scenarios=1}.
 */
class SlaTimeOracleTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final String SERVICE = "svc";
    private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
        "America/Santiago", "Asia/Kathmandu", "Europe/London", "Pacific/Chatham", "America/St_Johns"};
    private static final AvailabilityObjective AVAILABILITY = new AvailabilityObjective(0.995);
    private static final LatencyRatioObjective LATENCY = new LatencyRatioObjective(0.9, 250_000);

    @Test
    void engineAgreesWithTheNaiveReferenceOnAThousandRandomMonths() {
        long firstSeed = Long.getLong("vigil.oracle.seed", 20_261_127L);
        int scenarios = Integer.getInteger("vigil.oracle.scenarios", 1_000);
        Stats stats = new Stats();
        for (int i = 0; i < scenarios; i++) {
            long seed = firstSeed + i;
            try {
                runScenario(seed, stats);
            } catch (AssertionError | RuntimeException | IOException e) {
                throw new AssertionError("scenario with seed " + seed + " (rerun: -Dvigil.oracle.seed=" + seed
                        + " -Dvigil.oracle.scenarios=1): " + e.getMessage(), e);
            }
        }
        // the generator must actually reach the cases the oracle is for
        assertThat(stats.outages).as("outages").isGreaterThan(scenarios);
        assertThat(stats.dstMonths).as("months with a clock change").isGreaterThan(scenarios / 3);
        assertThat(stats.maintenanceOverOutage).as("maintenance overlapping outages").isGreaterThan(scenarios / 20);
        assertThat(stats.noDataMillis).as("no-data time").isPositive();
        assertThat(stats.ignoredSamples).as("duplicate and late samples ignored").isGreaterThan(scenarios);
        assertThat(stats.quorumScenarios).as("scenarios with a quorum above 1").isGreaterThan(scenarios / 5);
        assertThat(stats.silentLocations).as("silent locations").isGreaterThan(scenarios / 20);
        assertThat(stats.policies).as("no-data policies").hasSize(3);
    }

    private static final class Stats {
        long outages;
        long dstMonths;
        long maintenanceOverOutage;
        long noDataMillis;
        long ignoredSamples;
        long quorumScenarios;
        long silentLocations;
        Set<NoDataPolicy> policies = EnumSet.noneOf(NoDataPolicy.class);
    }

    // ---------------------------------------------------------------- the scenario

    private record LocationSpec(int check, Thresholds thresholds, long intervalMillis, long noDataAfterMillis) {
    }

    /** A sample as delivered to the collector: possibly a duplicate or older than one already applied. */
    private record Delivery(int location, long scheduled, boolean success, long received, long latencyMicros) {
    }

    private record Scenario(ZoneId zone, ServiceCalendar calendar, List<MaintenanceWindow> maintenance,
                            NoDataPolicy policy, List<LocationSpec> locations, int[] quorums, List<Delivery> deliveries,
                            PeriodRange range, long now, int cut) {
    }

    private static Scenario generate(Random random) {
        ZoneId zone = ZoneId.of(ZONES[random.nextInt(ZONES.length)]);
        int year = 2025 + random.nextInt(3);
        int month = 1 + random.nextInt(12);
        List<ZoneOffsetTransition> transitions = new ArrayList<>();
        for (ZoneOffsetTransition t = zone.getRules().nextTransition(LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant());
             t != null && t.getInstant().atZone(zone).getYear() == year; t = zone.getRules().nextTransition(t.getInstant())) {
            transitions.add(t);
        }
        if (!transitions.isEmpty() && random.nextInt(10) < 7) {
            month = transitions.get(random.nextInt(transitions.size())).getInstant().atZone(zone).getMonthValue();
        }
        SlaPeriod period = new SlaPeriod.CalendarMonth(zone);
        PeriodRange range = period.containing(LocalDate.of(year, month, 15).atStartOfDay(zone).toInstant().toEpochMilli());
        long length = range.endMillis() - range.startMillis();
        long now = random.nextBoolean()
                ? range.endMillis() + random.nextInt(2 * 24 * 60) * MINUTE + random.nextInt(60_000)
                : range.startMillis() + length / 3 + (long) (random.nextDouble() * (length * 2 / 3));

        ServiceCalendar calendar = randomCalendar(random, zone, range);
        List<MaintenanceWindow> maintenance = randomMaintenance(random, zone, range);
        NoDataPolicy policy = NoDataPolicy.values()[random.nextInt(3)];

        int checks = 1 + random.nextInt(2);
        List<LocationSpec> locations = new ArrayList<>();
        int[] quorums = new int[checks];
        for (int c = 0; c < checks; c++) {
            int n = 1 + random.nextInt(3);
            quorums[c] = 1 + random.nextInt(n);
            for (int l = 0; l < n; l++) {
                long intervalMillis = new long[] {15, 30, 60, 120}[random.nextInt(4)] * MINUTE;
                long noDataAfter = random.nextInt(10) < 6 ? 3 * intervalMillis
                        : intervalMillis / 2 + (long) (random.nextDouble() * intervalMillis * 4);
                locations.add(new LocationSpec(c, new Thresholds(1 + random.nextInt(3), 1 + random.nextInt(3)),
                        intervalMillis, Math.max(1, noDataAfter)));
            }
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (int l = 0; l < locations.size(); l++) {
            deliveries.addAll(randomSamples(random, l, locations.get(l).intervalMillis(), range, now));
        }
        deliveries.sort(Comparator.comparingLong(Delivery::received).thenComparingInt(Delivery::location)
                .thenComparingLong(Delivery::scheduled));
        int cut = deliveries.isEmpty() ? 0 : random.nextInt(deliveries.size() + 1);
        return new Scenario(zone, calendar, maintenance, policy, locations, quorums, deliveries, range, now, cut);
    }

    private static ServiceCalendar randomCalendar(Random random, ZoneId zone, PeriodRange range) {
        Map<DayOfWeek, List<DailyHours>> hours = new EnumMap<>(DayOfWeek.class);
        if (random.nextInt(4) == 0) {
            for (DayOfWeek day : DayOfWeek.values()) {
                hours.put(day, List.of(DailyHours.ALL_DAY));
            }
            return new ServiceCalendar("cal", zone, hours, Set.of());
        }
        int[] awkward = {0, 60, 90, 120, 150, 180, 1380, 1440};
        for (DayOfWeek day : DayOfWeek.values()) {
            int spans = random.nextInt(7) == 0 ? 0 : 1 + random.nextInt(2);
            List<DailyHours> list = new ArrayList<>();
            for (int s = 0; s < spans; s++) {
                int start = random.nextBoolean() ? random.nextInt(1440) : Math.min(1439, awkward[random.nextInt(awkward.length)]);
                int end = random.nextInt(3) == 0 ? 1440 : start + 1 + random.nextInt(1440 - start);
                list.add(new DailyHours(start, end));
            }
            if (!list.isEmpty()) {
                hours.put(day, list);
            }
        }
        Set<LocalDate> holidays = new HashSet<>();
        LocalDate first = Instant.ofEpochMilli(range.startMillis()).atZone(zone).toLocalDate();
        int count = random.nextInt(4);
        for (int h = 0; h < count; h++) {
            holidays.add(first.plusDays(random.nextInt(31)));
        }
        return new ServiceCalendar("cal", zone, hours, holidays);
    }

    private static List<MaintenanceWindow> randomMaintenance(Random random, ZoneId zone, PeriodRange range) {
        List<MaintenanceWindow> windows = new ArrayList<>();
        int count = random.nextInt(4);
        for (int w = 0; w < count; w++) {
            int who = random.nextInt(10);
            Set<String> services = who < 5 ? Set.of() : who < 8 ? Set.of(SERVICE) : Set.of("other");
            ZoneId windowZone = random.nextBoolean() ? zone : ZoneId.of(ZONES[random.nextInt(ZONES.length)]);
            LocalTime start = random.nextInt(4) == 0 ? LocalTime.of(2, 30)
                    : LocalTime.ofSecondOfDay(random.nextInt(86_400));
            MaintenanceSchedule schedule = switch (random.nextInt(3)) {
                case 0 -> {
                    long s = range.startMillis() - 2 * DAY + (long) (random.nextDouble() * (range.endMillis() - range.startMillis() + 3 * DAY));
                    long d = MINUTE + (long) (random.nextDouble() * 2 * DAY);
                    yield new MaintenanceSchedule.OneOff(Instant.ofEpochMilli(s), Instant.ofEpochMilli(s + d));
                }
                case 1 -> {
                    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        days.add(DayOfWeek.of(1 + random.nextInt(7)));
                    }
                    yield new MaintenanceSchedule.Weekly(windowZone, days, start,
                            Duration.ofMillis(MINUTE + (long) (random.nextDouble() * 12 * HOUR)));
                }
                default -> new MaintenanceSchedule.Monthly(windowZone, 1 + random.nextInt(31), start,
                        Duration.ofMillis(MINUTE + (long) (random.nextDouble() * DAY)));
            };
            windows.add(new MaintenanceWindow("m" + w, services, schedule, "ops-" + w, "reason " + w,
                    Instant.ofEpochMilli(range.startMillis())));
        }
        return windows;
    }

    private static List<Delivery> randomSamples(Random random, int location, long interval, PeriodRange range, long now) {
        List<Delivery> deliveries = new ArrayList<>();
        if (random.nextInt(10) == 0) {
            return deliveries; // a silent agent
        }
        // on an epoch-aligned grid, samples fall exactly on local midnights, period bounds and calendar minutes
        boolean grid = random.nextInt(5) < 2;
        long first = random.nextInt(5) > 0
                ? range.startMillis() - (long) (random.nextDouble() * 3 * DAY)
                : range.startMillis() + (long) (random.nextDouble() * (now - range.startMillis()) / 2);
        if (grid) {
            first = Math.floorDiv(first, interval) * interval;
        }
        long last = random.nextInt(10) < 7 ? now - 2 * MINUTE
                : first + (long) (random.nextDouble() * (now - first));
        long[][] silences = new long[random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0][];
        for (int s = 0; s < silences.length; s++) {
            long start = first + (long) (random.nextDouble() * (last - first));
            silences[s] = new long[] {start, start + 10 * MINUTE + (long) (random.nextDouble() * 2 * DAY)};
        }
        double enterBad = 0.002 + random.nextDouble() * 0.05;
        double leaveBad = 0.05 + random.nextDouble() * 0.45;
        boolean bad = false;
        for (long t = first; t < last; t += grid ? interval : interval / 2 + (long) (random.nextDouble() * interval)) {
            bad = bad ? random.nextDouble() >= leaveBad : random.nextDouble() < enterBad;
            boolean silent = false;
            for (long[] s : silences) {
                silent |= t >= s[0] && t < s[1];
            }
            if (silent) {
                continue;
            }
            boolean success = random.nextDouble() < (bad ? 0.15 : 0.97);
            if (grid && random.nextInt(50) == 0) {
                continue; // a missed run
            }
            long delay = random.nextInt(50) == 0 ? (long) (random.nextDouble() * HOUR) : random.nextInt(90_000);
            long latency = 1_000 + (long) (random.nextDouble() * (bad ? 2_000_000 : 300_000));
            if (t + delay > now) {
                continue; // not received yet
            }
            deliveries.add(new Delivery(location, t, success, t + delay, latency));
            if (random.nextInt(20) == 0) {
                long again = Math.min(now, t + delay + random.nextInt(600_000));
                deliveries.add(new Delivery(location, t, random.nextBoolean(), again, latency));
            }
        }
        return deliveries;
    }

    // ---------------------------------------------------------------- the engine

    private static final class Engine {
        final List<CheckTimeline> locations = new ArrayList<>();
        StateTimeline service;
        final SampleLatencySource latency = new SampleLatencySource();
        int ignored;

        Engine(Scenario scenario) {
            for (LocationSpec spec : scenario.locations()) {
                locations.add(new CheckTimeline(spec.thresholds(), spec.noDataAfterMillis()));
            }
            compose(scenario);
        }

        void compose(Scenario scenario) {
            List<StateTimeline> checks = new ArrayList<>();
            for (int c = 0; c < scenario.quorums().length; c++) {
                List<CheckTimeline> members = new ArrayList<>();
                for (int l = 0; l < locations.size(); l++) {
                    if (scenario.locations().get(l).check() == c) {
                        members.add(locations.get(l));
                    }
                }
                checks.add(new QuorumTimeline(members, scenario.quorums()[c]));
            }
            service = checks.size() == 1 ? checks.get(0) : new ServiceTimeline(checks);
        }

        void deliver(Delivery d) {
            if (locations.get(d.location()).apply(d.scheduled(), d.success(), d.received())) {
                latency.add(d.scheduled(), d.success(), d.latencyMicros());
            } else {
                ignored++;
            }
        }

        /** Snapshots every location, reads them back and forgets history the range does not need. */
        void restart(Scenario scenario, long cutNow) throws IOException {
            for (int l = 0; l < locations.size(); l++) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(buffer)) {
                    locations.get(l).writeTo(out);
                }
                locations.set(l, CheckTimeline.readFrom(new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()))));
            }
            compose(scenario);
            // no sample still to come is scheduled more than an hour before its receipt
            service.forgetBefore(Math.min(scenario.range().startMillis(), cutNow - HOUR), cutNow);
        }

        SlaEvaluator evaluator(Scenario scenario) {
            SlaDefinition sla = new SlaDefinition("sla", List.of(AVAILABILITY, LATENCY),
                    new SlaPeriod.CalendarMonth(scenario.zone()), "cal", scenario.policy());
            return new SlaEvaluator(SERVICE, sla, scenario.calendar(), scenario.maintenance(), service, latency);
        }
    }

    // ---------------------------------------------------------------- the run

    private static void runScenario(long seed, Stats stats) throws IOException {
        Scenario scenario = generate(new Random(seed));
        Engine straight = new Engine(scenario);
        scenario.deliveries().forEach(straight::deliver);
        SlaEvaluator evaluator = straight.evaluator(scenario);
        SlaResult result = evaluator.evaluate(scenario.range(), scenario.now());
        BurnRates burn = evaluator.burnRates(AVAILABILITY, scenario.now());

        new Reference(scenario).check(result, burn);

        Engine restarted = new Engine(scenario);
        List<Delivery> deliveries = scenario.deliveries();
        for (int i = 0; i < scenario.cut(); i++) {
            restarted.deliver(deliveries.get(i));
        }
        long cutNow = scenario.cut() == 0 ? scenario.range().startMillis() - 3 * DAY
                : deliveries.get(scenario.cut() - 1).received();
        restarted.restart(scenario, cutNow);
        for (int i = scenario.cut(); i < deliveries.size(); i++) {
            restarted.deliver(deliveries.get(i));
        }
        SlaEvaluator restartedEvaluator = restarted.evaluator(scenario);
        assertThat(restartedEvaluator.evaluate(scenario.range(), scenario.now())).as("after a restart").isEqualTo(result);
        assertThat(restartedEvaluator.burnRates(AVAILABILITY, scenario.now())).as("burn rates after a restart").isEqualTo(burn);

        stats.outages += result.outages().size();
        stats.noDataMillis += result.noDataMillis();
        stats.ignoredSamples += straight.ignored;
        stats.policies.add(scenario.policy());
        if (Arrays.stream(scenario.quorums()).anyMatch(q -> q > 1)) {
            stats.quorumScenarios++;
        }
        if (scenario.zone().getRules().nextTransition(Instant.ofEpochMilli(scenario.range().startMillis())) != null
                && scenario.zone().getRules().nextTransition(Instant.ofEpochMilli(scenario.range().startMillis()))
                .toEpochSecond() * 1000 < scenario.range().endMillis()) {
            stats.dstMonths++;
        }
        if (result.outages().stream().anyMatch(o -> o.downtimeMillis() < o.durationMillis()) && result.maintenanceMillis() > 0) {
            stats.maintenanceOverOutage++;
        }
        for (int l = 0; l < scenario.locations().size(); l++) {
            int location = l;
            if (deliveries.stream().noneMatch(d -> d.location() == location)) {
                stats.silentLocations++;
            }
        }
    }

    // ---------------------------------------------------------------- the reference

    /** One location's samples as the reference sees them, with its own hysteresis. */
    private static final class LocationReference {
        final long noDataAfter;
        final long[] scheduled;
        /** Dates of state changes, the new state (true = down), and per change the detection time. */
        final List<long[]> changes = new ArrayList<>();
        final long[] changeDates;

        LocationReference(LocationSpec spec, List<Delivery> deliveries, int index) {
            noDataAfter = spec.noDataAfterMillis();
            List<Delivery> applied = new ArrayList<>();
            long lastScheduled = Long.MIN_VALUE;
            for (Delivery d : deliveries) {
                if (d.location() == index && d.scheduled() > lastScheduled) {
                    applied.add(d);
                    lastScheduled = d.scheduled();
                }
            }
            scheduled = applied.stream().mapToLong(Delivery::scheduled).toArray();
            // hysteresis written out: count the current run; on reaching the threshold of the other state, change
            boolean down = false;
            boolean confirmedUp = false;
            int run = 0;
            boolean runFails = false;
            long runStart = 0;
            for (Delivery d : applied) {
                boolean fails = !d.success();
                if (run == 0 || fails != runFails) {
                    run = 0;
                    runFails = fails;
                    runStart = d.scheduled();
                }
                run++;
                if (fails && !down && run >= spec.thresholds().failuresToOpen()) {
                    down = true;
                    changes.add(new long[] {runStart, 1, Math.max(d.received(), d.scheduled())});
                } else if (!fails && (down || !confirmedUp) && run >= spec.thresholds().successesToClose()) {
                    if (down) {
                        changes.add(new long[] {runStart, 0, 0});
                    }
                    down = false;
                    confirmedUp = true;
                }
            }
            changeDates = changes.stream().mapToLong(c -> c[0]).toArray();
        }

        /** The state at {@code t}: 'U', 'D' or 'N'. */
        char stateAt(long t) {
            int i = lastAtOrBefore(scheduled, t);
            if (i < 0 || t >= scheduled[i] + noDataAfter) {
                return 'N';
            }
            long[] change = changeAt(t);
            return change != null && change[1] == 1 ? 'D' : 'U';
        }

        long detectedAt(long t) {
            return Math.max(t, changeAt(t)[2]);
        }

        private long[] changeAt(long t) {
            int i = lastAtOrBefore(changeDates, t);
            return i < 0 ? null : changes.get(i);
        }

        void addPoints(PointList points) {
            for (long s : scheduled) {
                points.add(s);
                points.add(s + noDataAfter);
            }
            for (long[] c : changes) {
                points.add(c[0]);
            }
        }
    }

    /** Instants at which something may change, collected in any order. */
    private static final class PointList {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        /** The distinct values up to {@code last}, ascending. */
        long[] sortedUpTo(long last) {
            return Arrays.stream(values, 0, size).filter(v -> v <= last).sorted().distinct().toArray();
        }
    }

    private static int lastAtOrBefore(long[] sorted, long t) {
        int i = Arrays.binarySearch(sorted, t);
        return i >= 0 ? i : -i - 2;
    }

    private static final class Reference {
        final Scenario scenario;
        final List<LocationReference> locations = new ArrayList<>();
        final long from;
        final long end;
        final long now;
        final List<long[]> calendarSpans = new ArrayList<>();
        final List<MaintenanceWindow> applying = new ArrayList<>();
        final List<List<long[]>> occurrences = new ArrayList<>();
        long[] segmentStart;
        long[] segmentEnd;
        char[] serviceState;
        boolean[] inCalendar;
        boolean[] inMaintenance;

        Reference(Scenario scenario) {
            this.scenario = scenario;
            from = scenario.range().startMillis();
            now = scenario.now();
            end = Math.min(scenario.range().endMillis(), now);
            for (int l = 0; l < scenario.locations().size(); l++) {
                locations.add(new LocationReference(scenario.locations().get(l), scenario.deliveries(), l));
            }
            buildCalendar();
            buildMaintenance();
            buildSegments();
        }

        /** Local wall-clock time to an instant: a time in a gap shifts forward, one in an overlap takes the earlier offset. */
        static long instant(LocalDateTime local, ZoneId zone) {
            ZoneOffsetTransition transition = zone.getRules().getTransition(local);
            ZoneOffset offset = transition == null ? zone.getRules().getOffset(local) : transition.getOffsetBefore();
            return local.toEpochSecond(offset) * 1000 + local.getNano() / 1_000_000;
        }

        void buildCalendar() {
            ServiceCalendar calendar = scenario.calendar();
            LocalDate day = Instant.ofEpochMilli(Math.min(from, now - 4 * DAY)).atZone(calendar.zone()).toLocalDate().minusDays(2);
            LocalDate last = Instant.ofEpochMilli(now).atZone(calendar.zone()).toLocalDate().plusDays(2);
            for (; !day.isAfter(last); day = day.plusDays(1)) {
                if (calendar.holidays().contains(day)) {
                    continue;
                }
                for (DailyHours hours : calendar.weeklyHours().getOrDefault(day.getDayOfWeek(), List.of())) {
                    long start = instant(day.atStartOfDay().plusMinutes(hours.startMinute()), calendar.zone());
                    long stop = instant(day.atStartOfDay().plusMinutes(hours.endMinute()), calendar.zone());
                    if (stop > start) {
                        calendarSpans.add(new long[] {start, stop});
                    }
                }
            }
        }

        void buildMaintenance() {
            for (MaintenanceWindow window : scenario.maintenance()) {
                if (!window.services().isEmpty() && !window.services().contains(SERVICE)) {
                    continue;
                }
                applying.add(window);
                List<long[]> list = new ArrayList<>();
                long lo = Math.min(from, now - 4 * DAY) - 10 * DAY;
                if (window.schedule() instanceof MaintenanceSchedule.OneOff o) {
                    list.add(new long[] {o.start().toEpochMilli(), o.end().toEpochMilli()});
                } else if (window.schedule() instanceof MaintenanceSchedule.Weekly w) {
                    LocalDate day = Instant.ofEpochMilli(lo).atZone(w.zone()).toLocalDate();
                    for (; instant(day.atStartOfDay(), w.zone()) < now + DAY; day = day.plusDays(1)) {
                        if (w.days().contains(day.getDayOfWeek())) {
                            long s = instant(day.atTime(w.start()), w.zone());
                            list.add(new long[] {s, s + w.duration().toMillis()});
                        }
                    }
                } else if (window.schedule() instanceof MaintenanceSchedule.Monthly m) {
                    YearMonth month = YearMonth.from(Instant.ofEpochMilli(lo).atZone(m.zone()));
                    for (; instant(month.atDay(1).atStartOfDay(), m.zone()) < now + DAY; month = month.plusMonths(1)) {
                        LocalDate day = month.atDay(Math.min(m.dayOfMonth(), month.lengthOfMonth()));
                        long s = instant(day.atTime(m.start()), m.zone());
                        list.add(new long[] {s, s + m.duration().toMillis()});
                    }
                }
                occurrences.add(list);
            }
        }

        boolean inCalendar(long t) {
            for (long[] span : calendarSpans) {
                if (span[0] <= t && t < span[1]) {
                    return true;
                }
            }
            return false;
        }

        boolean inMaintenance(int window, long t) {
            for (long[] o : occurrences.get(window)) {
                if (o[0] <= t && t < o[1]) {
                    return true;
                }
            }
            return false;
        }

        boolean inAnyMaintenance(long t) {
            for (int w = 0; w < applying.size(); w++) {
                if (inMaintenance(w, t)) {
                    return true;
                }
            }
            return false;
        }

        char checkState(int check, long t) {
            int down = 0;
            int noData = 0;
            for (int l = 0; l < locations.size(); l++) {
                if (scenario.locations().get(l).check() == check) {
                    char s = locations.get(l).stateAt(t);
                    down += s == 'D' ? 1 : 0;
                    noData += s == 'N' ? 1 : 0;
                }
            }
            int quorum = scenario.quorums()[check];
            return down >= quorum ? 'D' : down + noData >= quorum ? 'N' : 'U';
        }

        char serviceStateAt(long t) {
            char state = 'U';
            for (int c = 0; c < scenario.quorums().length; c++) {
                char s = checkState(c, t);
                if (s == 'D') {
                    return 'D';
                }
                if (s == 'N') {
                    state = 'N';
                }
            }
            return state;
        }

        long detectedAt(long t) {
            long earliest = Long.MAX_VALUE;
            for (int c = 0; c < scenario.quorums().length; c++) {
                if (checkState(c, t) != 'D') {
                    continue;
                }
                List<Long> detections = new ArrayList<>();
                for (int l = 0; l < locations.size(); l++) {
                    if (scenario.locations().get(l).check() == c && locations.get(l).stateAt(t) == 'D') {
                        detections.add(locations.get(l).detectedAt(t));
                    }
                }
                detections.sort(null);
                earliest = Math.min(earliest, detections.get(scenario.quorums()[c] - 1));
            }
            return Math.max(t, earliest);
        }

        void buildSegments() {
            PointList points = new PointList();
            points.add(from);
            points.add(end);
            points.add(now);
            points.add(now - 3 * DAY);
            locations.forEach(l -> l.addPoints(points));
            for (long[] span : calendarSpans) {
                points.add(span[0]);
                points.add(span[1]);
            }
            for (List<long[]> list : occurrences) {
                for (long[] o : list) {
                    points.add(o[0]);
                    points.add(o[1]);
                }
            }
            for (RuleWindow w : RuleWindow.all(now)) {
                points.add(w.from);
            }
            long[] sorted = points.sortedUpTo(now);
            int n = sorted.length - 1;
            segmentStart = Arrays.copyOf(sorted, n);
            segmentEnd = Arrays.copyOfRange(sorted, 1, n + 1);
            serviceState = new char[n];
            inCalendar = new boolean[n];
            inMaintenance = new boolean[n];
            for (int i = 0; i < n; i++) {
                serviceState[i] = serviceStateAt(segmentStart[i]);
                inCalendar[i] = inCalendar(segmentStart[i]);
                inMaintenance[i] = inAnyMaintenance(segmentStart[i]);
            }
        }

        /** Whether time with this service state, in service hours and outside maintenance, counts as agreed and as down. */
        boolean agreed(char state) {
            return scenario.policy() != NoDataPolicy.EXCLUDE || state != 'N';
        }

        boolean down(char state) {
            return state == 'D' || state == 'N' && scenario.policy() == NoDataPolicy.DOWN;
        }

        /** {agreed, down, serviceHours, maintenance, noData} over [lo, hi). */
        long[] account(long lo, long hi) {
            long[] sums = new long[5];
            for (int i = firstSegmentEndingAfter(lo); i < segmentStart.length && segmentStart[i] < hi; i++) {
                long a = Math.max(lo, segmentStart[i]);
                long b = Math.min(hi, segmentEnd[i]);
                if (b <= a || !inCalendar[i]) {
                    continue;
                }
                long length = b - a;
                sums[2] += length;
                if (inMaintenance[i]) {
                    sums[3] += length;
                    continue;
                }
                char state = serviceState[i];
                sums[4] += state == 'N' ? length : 0;
                sums[0] += agreed(state) ? length : 0;
                sums[1] += agreed(state) && down(state) ? length : 0;
            }
            return sums;
        }

        int firstSegmentEndingAfter(long t) {
            int i = Arrays.binarySearch(segmentEnd, t);
            return i >= 0 ? i + 1 : -i - 1;
        }

        /** Whether {@code t} lies in the range's service hours outside maintenance: latency buckets count then. */
        boolean scheduledAt(long t) {
            return t >= from && t < end && inCalendar(t) && !inAnyMaintenance(t);
        }

        void check(SlaResult result, BurnRates burn) {
            long[] sums = account(from, end);
            assertThat(result.countedUntilMillis()).isEqualTo(end);
            assertThat(result.serviceHoursMillis()).as("service hours").isEqualTo(sums[2]);
            assertThat(result.maintenanceMillis()).as("maintenance").isEqualTo(sums[3]);
            assertThat(result.noDataMillis()).as("no data").isEqualTo(sums[4]);
            assertThat(result.agreedMillis()).as("agreed").isEqualTo(sums[0]);
            assertThat(result.downtimeMillis()).as("downtime").isEqualTo(sums[1]);
            if (sums[0] == 0) {
                assertThat(result.availability()).isEmpty();
            } else {
                assertThat(result.availability()).hasValue(1 - (double) sums[1] / sums[0]);
            }
            checkMaintenance(result);
            checkOutages(result);
            checkObjectives(result, sums);
            checkBurnRates(burn);
        }

        void checkMaintenance(SlaResult result) {
            List<String> expected = new ArrayList<>();
            for (int w = 0; w < applying.size(); w++) {
                long excluded = 0;
                for (int i = firstSegmentEndingAfter(from); i < segmentStart.length && segmentStart[i] < end; i++) {
                    long a = Math.max(from, segmentStart[i]);
                    long b = Math.min(end, segmentEnd[i]);
                    if (b > a && inCalendar[i] && inMaintenance(w, segmentStart[i])) {
                        excluded += b - a;
                    }
                }
                if (excluded > 0) {
                    MaintenanceWindow window = applying.get(w);
                    expected.add(window.id() + " by " + window.createdBy() + " for " + window.reason() + ": " + excluded);
                }
            }
            assertThat(result.maintenance()).extracting(m -> m.id() + " by " + m.createdBy() + " for " + m.reason()
                    + ": " + m.excludedMillis()).as("maintenance windows").isEqualTo(expected);
        }

        void checkOutages(SlaResult result) {
            List<String> expected = new ArrayList<>();
            int started = 0;
            int ended = 0;
            long repairSum = 0;
            long detectSum = 0;
            int i = 0;
            while (i < segmentStart.length) {
                if (serviceState[i] == 'U') {
                    i++;
                    continue;
                }
                int j = i;
                long firstDown = Long.MIN_VALUE;
                while (j < segmentStart.length && serviceState[j] != 'U') {
                    if (firstDown == Long.MIN_VALUE && serviceState[j] == 'D') {
                        firstDown = segmentStart[j];
                    }
                    j++;
                }
                long stretchEnd = segmentEnd[j - 1];
                boolean ongoing = stretchEnd >= now;
                i = j;
                if (firstDown == Long.MIN_VALUE || firstDown >= end || stretchEnd <= from) {
                    continue;
                }
                long detected = detectedAt(firstDown);
                long downtime = 0;
                for (int k = firstSegmentEndingAfter(from); k < j; k++) {
                    long a = Math.max(Math.max(from, firstDown), segmentStart[k]);
                    long b = Math.min(Math.min(end, stretchEnd), segmentEnd[k]);
                    if (b > a && inCalendar[k] && !inMaintenance[k]
                            && agreed(serviceState[k]) && down(serviceState[k])) {
                        downtime += b - a;
                    }
                }
                expected.add(firstDown + ".." + (ongoing ? "now" : stretchEnd) + " detected " + detected + " lasting "
                        + (stretchEnd - firstDown) + " down " + downtime);
                if (firstDown >= from) {
                    started++;
                    detectSum += detected - firstDown;
                }
                if (!ongoing && stretchEnd > from && stretchEnd <= end) {
                    ended++;
                    repairSum += stretchEnd - firstDown;
                }
            }
            assertThat(result.outages()).extracting(o -> o.outage().startEpochMillis() + ".."
                    + (o.outage().ended() ? String.valueOf(o.outage().endEpochMillis().getAsLong()) : "now")
                    + " detected " + o.outage().detectedEpochMillis() + " lasting " + o.durationMillis()
                    + " down " + o.downtimeMillis()).as("outages").isEqualTo(expected);
            assertThat(result.outagesStarted()).isEqualTo(started);
            assertThat(result.outagesEnded()).isEqualTo(ended);
            if (ended > 0) {
                assertThat(result.mttrMillis()).as("MTTR").hasValue((double) repairSum / ended);
            } else {
                assertThat(result.mttrMillis()).isEmpty();
            }
            if (started > 0) {
                assertThat(result.mtbfMillis()).as("MTBF").hasValue((double) (result.agreedMillis() - result.downtimeMillis()) / started);
                assertThat(result.mttdMillis()).as("MTTD").hasValue((double) detectSum / started);
            } else {
                assertThat(result.mtbfMillis()).isEmpty();
                assertThat(result.mttdMillis()).isEmpty();
            }
        }

        void checkObjectives(SlaResult result, long[] sums) {
            ObjectiveResult availability = result.objectives().get(0);
            assertThat(availability.bad()).isEqualTo(sums[1]);
            assertThat(availability.total()).isEqualTo(sums[0]);
            assertThat(availability.met()).as("availability met").isEqualTo(sums[0] == 0
                    || BigDecimal.valueOf(sums[0] - sums[1]).compareTo(BigDecimal.valueOf(AVAILABILITY.target())
                    .multiply(BigDecimal.valueOf(sums[0]))) >= 0);
            if (sums[0] > 0) {
                assertThat(availability.errorBudgetRemaining())
                        .isCloseTo(1 - sums[1] / ((1 - AVAILABILITY.target()) * sums[0]), within(1e-9));
            }
            long total = 0;
            long good = 0;
            long[] last = new long[locations.size()];
            Arrays.fill(last, Long.MIN_VALUE);
            for (Delivery d : scenario.deliveries()) {
                if (d.scheduled() <= last[d.location()]) {
                    continue;
                }
                last[d.location()] = d.scheduled();
                long bucket = Math.floorDiv(d.scheduled(), 15 * MINUTE) * 15 * MINUTE;
                if (scheduledAt(bucket)) {
                    total++;
                    good += d.success() && d.latencyMicros() <= LATENCY.thresholdMicros() ? 1 : 0;
                }
            }
            ObjectiveResult latency = result.objectives().get(1);
            assertThat(latency.total()).as("latency samples").isEqualTo(total);
            assertThat(latency.bad()).as("slow or failed samples").isEqualTo(total - good);
        }

        void checkBurnRates(BurnRates burn) {
            List<RuleWindow> windows = RuleWindow.all(now);
            for (int r = 0; r < burn.alerts().size(); r++) {
                BurnRateAlert alert = burn.alerts().get(r);
                double longRate = rate(windows.get(2 * r));
                double shortRate = rate(windows.get(2 * r + 1));
                assertThat(alert.longBurnRate()).as("long burn rate %d", r).isCloseTo(longRate, within(1e-9 * Math.max(1, longRate)));
                assertThat(alert.shortBurnRate()).as("short burn rate %d", r).isCloseTo(shortRate, within(1e-9 * Math.max(1, shortRate)));
                double factor = alert.rule().factor();
                if (Math.abs(longRate - factor) > 1e-6 && Math.abs(shortRate - factor) > 1e-6) {
                    assertThat(alert.firing()).as("firing %d", r).isEqualTo(longRate > factor && shortRate > factor);
                }
            }
        }

        double rate(RuleWindow window) {
            long[] sums = account(window.from, now);
            return sums[0] == 0 ? 0 : (double) sums[1] / sums[0] / (1 - AVAILABILITY.target());
        }
    }

    /** The trailing windows of the 30-day table, long then short per rule, ending at now. */
    private record RuleWindow(long from) {
        static List<RuleWindow> all(long now) {
            long[] minutes = {60, 5, 360, 30, 1440, 120, 4320, 360};
            List<RuleWindow> windows = new ArrayList<>();
            for (long m : minutes) {
                windows.add(new RuleWindow(now - m * MINUTE));
            }
            return windows;
        }
    }
}
