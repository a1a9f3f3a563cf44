package dev.vigil.benchmarks;

import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKeys;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.kpi.IncidentKpis;
import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.kpi.KpiFigures;
import dev.vigil.collector.problem.Closure;
import dev.vigil.collector.problem.Problem;
import dev.vigil.collector.problem.ProblemBook;
import dev.vigil.collector.problem.ProblemConfig;
import dev.vigil.collector.problem.ProblemDetector;
import dev.vigil.collector.problem.ProblemFigures;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The cost of the service-management figures at scale, a measurement rather than a test: {@code N} resolved
 * outage incidents (default 10,000) of 200 services over 13 months (November 2025 to 27 November 2026), about
 * half of them in bursts of 3 to 5 within a few days so that problems exist, problems closed in
 * {@code problems.json} 14 days after they began, as a team would. Times, on one thread with warm-up, what the collector's event loop runs
 * every 5 s ({@code KpiFigures.refresh}, {@code ProblemFigures.refresh}) and what {@code GET /api/v1/problems}
 * and {@code /api/v1/kpis} compute, each beside the baseline of the same run: copying and sorting the
 * incident list, which {@code IncidentBook.incidents()} does on every call. The incidents are read through
 * such a copy, as in the collector.
 *
 * <p>{@code java -Dchronicle.analytics.disable=true -cp benchmarks/target/vigil-benchmarks.jar
 * dev.vigil.benchmarks.ServiceManagementScale [incidents] [repetitions]} (benchmarks/README.md).
 */
public final class ServiceManagementScale {
    private static final int SERVICES = 200;
    private static final long FROM = Instant.parse("2025-11-01T00:00:00Z").toEpochMilli();
    private static final long NOW = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
    private static final long MONTH_START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final long MONTH_END = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    private static final String[] DETAILS = {
        "TIMEOUT: no answer within 5s",
        "STATUS_MISMATCH: expected 200, got 503",
        "CONNECTION_REFUSED: connect to 10.0.0.7:443 refused",
        "TLS_ERROR: certificate expired",
    };
    /** What {@code IncidentBook.incidents()} sorts by: newest start first. */
    private static final Comparator<Incident> NEWEST_FIRST =
            Comparator.comparingLong(Incident::startedEpochMillis).reversed().thenComparing(Incident::key);
    private static final int WARMUPS = 5;

    private static long sink;

    private ServiceManagementScale() {
    }

    /** Builds the incidents, times each operation, prints the table. */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        // In the order the book holds them (a LinkedHashMap in opening order): oldest first.
        List<Incident> held = new ArrayList<>(incidents(count, new Random(42)));
        Supplier<List<Incident>> book = () -> copy(held);
        List<String> services = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            services.add(service(s));
        }
        InstantSource clock = () -> Instant.ofEpochMilli(NOW);
        ProblemConfig config = ProblemConfig.DEFAULT;
        Path dir = Files.createTempDirectory("vigil-service-management");
        Path closures = dir.resolve("problems.json");
        int closed = writeClosures(closures, held, config);

        ProblemBook shared = ProblemBook.open(config, book, clock, closures);
        List<Problem> problems = shared.problems();
        long open = problems.stream().filter(Problem::open).count();
        long thisMonth = held.stream().filter(i -> i.startedEpochMillis() >= MONTH_START).count();
        System.out.printf(Locale.ROOT, "incidents     %,d resolved outages of %d services, %s to %s (%,d this month)%n",
                count, SERVICES, Instant.ofEpochMilli(FROM), Instant.ofEpochMilli(NOW), thisMonth);
        System.out.printf(Locale.ROOT, "problems      %,d (%,d open, %,d closed in problems.json); rule %d within %s%n",
                problems.size(), open, closed, config.count(), config.within());
        System.out.printf(Locale.ROOT, "runs          a whole warm-up pass, then per operation %d warm-up + %d measured repetitions, one thread%n%n",
                WARMUPS, repetitions);

        ProblemFigures problemFigures = new ProblemFigures(shared, () -> services);
        KpiFigures kpiFigures = new KpiFigures(book, KpiConfig.DEFAULT);
        PeriodRange month = KpiFigures.MONTHS.containing(NOW);
        // One incident replaced by an equal new object before each run: what the next cycle sees after any
        // incident opened, resolved or was acknowledged.
        Runnable touch = () -> held.set(held.size() - 1, copyOf(held.get(held.size() - 1)));

        List<Operation> operations = List.of(
                new Operation("baseline: copy + sort the incident list (IncidentBook.incidents())", () -> { },
                        () -> copy(held).size()),
                new Operation("ProblemBook.open + first problems() (a full detection)", () -> { },
                        () -> ProblemBook.open(config, book, clock, closures).problems().size()),
                new Operation("problems() again, nothing changed (the cache; GET /api/v1/problems)", () -> { },
                        () -> shared.problems().size()),
                new Operation("problems() after one incident changed (detects again)", touch,
                        () -> shared.problems().size()),
                new Operation("repeatRates(this month), nothing changed", () -> { },
                        () -> shared.repeatRates(MONTH_START, MONTH_END).size()),
                new Operation("ProblemFigures.refresh, nothing changed", () -> { }, () -> {
                    problemFigures.refresh(NOW);
                    return 1;
                }),
                new Operation("ProblemFigures.refresh after one incident changed", touch, () -> {
                    problemFigures.refresh(NOW);
                    return 1;
                }),
                new Operation("KpiFigures.refresh (= GET /api/v1/kpis: IncidentKpis over the month)", () -> { }, () -> {
                    kpiFigures.refresh(NOW);
                    return kpiFigures.current().size();
                }),
                new Operation("IncidentKpis.of over the month, list given (no copy)", () -> { },
                        () -> IncidentKpis.of(held, month, KpiConfig.DEFAULT, NOW).size()),
                new Operation("one 5 s cycle, nothing changed: KPIs + problem figures", () -> { }, () -> {
                    kpiFigures.refresh(NOW);
                    problemFigures.refresh(NOW);
                    return 1;
                }),
                new Operation("one 5 s cycle after one incident changed", touch, () -> {
                    kpiFigures.refresh(NOW);
                    problemFigures.refresh(NOW);
                    return 1;
                }),
                new Operation("baseline again, last", () -> { }, () -> copy(held).size()));
        // A whole pass first, so that no operation is measured before the code the others share is compiled.
        for (Operation operation : operations) {
            time(operation, repetitions);
        }
        List<Timing> timings = new ArrayList<>();
        for (Operation operation : operations) {
            timings.add(time(operation, repetitions));
        }
        Timing baseline = timings.get(0);

        System.out.printf(Locale.ROOT, "| N = %,d | median | max | GC in the measured runs | median ÷ baseline |%n",
                count);
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Timing timing : timings) {
            System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %d ms | %.1f |%n", timing.name,
                    timing.medianMillis(), timing.maxMillis(), timing.gcMillis,
                    timing.medianMillis() / baseline.medianMillis());
        }
        if (sink == 42) {
            System.out.println();
        }
        Files.deleteIfExists(closures);
        Files.deleteIfExists(dir);
    }

    /** What {@code IncidentBook.incidents()} does on every call. */
    private static List<Incident> copy(List<Incident> held) {
        List<Incident> all = new ArrayList<>(held);
        all.sort(NEWEST_FIRST);
        return all;
    }

    private static Timing time(Operation operation, int repetitions) {
        for (int i = 0; i < WARMUPS; i++) {
            operation.setup.run();
            sink += operation.run.getAsLong();
        }
        long[] nanos = new long[repetitions];
        long gcBefore = gcMillis();
        for (int i = 0; i < repetitions; i++) {
            operation.setup.run();
            long started = System.nanoTime();
            sink += operation.run.getAsLong();
            nanos[i] = System.nanoTime() - started;
        }
        return new Timing(operation.name, nanos, gcMillis() - gcBefore);
    }

    /**
     * {@code count} resolved outages, oldest first: per service, half in bursts (3 to 5 within 1 to 5 days,
     * a problem by the default rule), half spread over the 13 months.
     */
    private static List<Incident> incidents(int count, Random random) {
        List<Incident> all = new ArrayList<>(count);
        for (int s = 0; s < SERVICES; s++) {
            int quota = count / SERVICES + (s < count % SERVICES ? 1 : 0);
            int made = 0;
            while (made < quota) {
                if (random.nextBoolean()) {
                    int burst = Math.min(quota - made, 3 + random.nextInt(3));
                    long burstStart = FROM + (long) (random.nextDouble() * (NOW - FROM - 6 * DAY));
                    long span = (1 + random.nextInt(5)) * DAY;
                    for (int i = 0; i < burst; i++) {
                        all.add(outage(s, burstStart + (long) (random.nextDouble() * span), random));
                    }
                    made += burst;
                } else {
                    all.add(outage(s, FROM + (long) (random.nextDouble() * (NOW - FROM - DAY)), random));
                    made++;
                }
            }
        }
        all.sort(Comparator.comparingLong(Incident::startedEpochMillis).thenComparing(Incident::key));
        return all;
    }

    private static Incident outage(int s, long started, Random random) {
        String service = service(s);
        long detected = started + 15_000 + random.nextInt(75_000);
        long resolved = started + (2 + random.nextInt(58)) * MINUTE;
        Optional<Acknowledgement> ack = random.nextInt(10) < 7
                ? Optional.of(new Acknowledgement(detected + (1 + random.nextInt(20)) * MINUTE, "ops", "api"))
                : Optional.empty();
        List<CheckKey> checks = List.of(new CheckKey("edge-" + (1 + random.nextInt(3)), service + "-https"));
        return new Incident(IncidentKeys.serviceOutage(service, started), IncidentKind.OUTAGE, service + " is down",
                Optional.of(service), checks, IncidentStatus.RESOLVED, Level.HIGH, Level.HIGH, Priority.P1, started,
                detected, OptionalLong.of(resolved), ack, Optional.empty(), DETAILS[random.nextInt(DETAILS.length)],
                Map.of("owner", "team-" + s % 10), 1, List.of(), -1);
    }

    private static Incident copyOf(Incident i) {
        return new Incident(i.key(), i.kind(), i.title(), i.service(), i.checks(), i.status(), i.impact(),
                i.urgency(), i.priority(), i.startedEpochMillis(), i.detectedEpochMillis(), i.resolvedEpochMillis(),
                i.acknowledgement(), i.suppression(), i.detail(), i.labels(), i.outages(), i.timeline(),
                i.openedJournalIndex());
    }

    private static String service(int s) {
        return String.format(Locale.ROOT, "svc-%03d", s);
    }

    /**
     * Closes problems as a team would, in {@code problems.json}: each open problem whose first outage is over 30
     * days old, 14 days after that outage, again until none is left (the outages after a closure start new
     * problems). Returns how many closures there are.
     */
    private static int writeClosures(Path file, List<Incident> incidents, ProblemConfig config) throws IOException {
        ProblemDetector detector = new ProblemDetector(config);
        Map<String, Closure> closures = new TreeMap<>();
        boolean closedMore = true;
        while (closedMore) {
            closedMore = false;
            for (Problem problem : detector.detect(incidents, closures)) {
                if (problem.open() && problem.firstStartedEpochMillis() < NOW - 30 * DAY) {
                    closures.put(problem.key(), new Closure("fixed", "ops", problem.firstStartedEpochMillis() + 14 * DAY));
                    closedMore = true;
                }
            }
        }
        JsonObject stored = new JsonObject();
        closures.forEach((key, closure) -> stored.put(key, new JsonObject().put("root_cause", closure.rootCause())
                .put("by", closure.by()).put("closed_epoch_millis", closure.closedEpochMillis())));
        Files.writeString(file, new JsonObject().put("version", 1).put("closures", stored).encodePrettily(),
                StandardCharsets.UTF_8);
        return closures.size();
    }

    private static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    /** One thing timed: {@code setup} runs before each run, untimed. */
    private record Operation(String name, Runnable setup, LongSupplier run) {
    }

    private record Timing(String name, long[] nanos, long gcMillis) {
        double medianMillis() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / 1e6;
        }

        double maxMillis() {
            return Arrays.stream(nanos).max().orElseThrow() / 1e6;
        }
    }
}
