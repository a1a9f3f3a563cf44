package dev.vigil.benchmarks;

import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.report.ReportBuilder;
import dev.vigil.collector.report.ReportFormat;
import dev.vigil.collector.report.ReportRequest;
import dev.vigil.collector.report.ReportTable;
import dev.vigil.collector.report.SlaReport;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The monthly SLA report at scale, a measurement rather than a test: {@code N} services (default
 * 10,000) of one check each for 100 customers, with a monthly SLA of an availability and two latency
 * objectives over business hours in Europe/Berlin, fed October 2026 (one sample per check every
 * {@code interval} seconds, default 300, as {@code benchmarks/.../SlaEngineScale} does), then the
 * report for October built in 10 ms steps as the collector's event loop runs it, and rendered in every
 * format. Prints the build time, the number of steps and the longest one (how long the event loop is
 * held), and each format's render time and size.
 *
 * <p>{@code java -Xmx4g -cp benchmarks/target/vigil-benchmarks.jar dev.vigil.benchmarks.SlaReportScale
 * [services] [interval seconds]} (docs/reports.md).
 */
public final class SlaReportScale {
    private static final long START = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    private static final long DAYS = 31;

    private SlaReportScale() {
    }

    /** Fills an engine, builds and renders the report, prints the figures. */
    public static void main(String[] args) {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int intervalSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        long[] now = {START};
        InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
        SlaEngine engine = new SlaEngine(clock, Thresholds.DEFAULT, ScaleCatalogue.of(services), key -> Optional.empty());
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));
        long fed = ScaleCatalogue.fill(board, now, START, DAYS, services, intervalSeconds);
        now[0] = START + DAYS * 86_400_000L + 3_600_000L;
        System.out.printf(Locale.ROOT, "services      %d, %d samples (one every %d s for October)%n", services, fed,
                intervalSeconds);

        for (int run = 1; run <= 3; run++) {
            ReportRequest request = new ReportRequest(YearMonth.of(2026, 10), ReportFormat.PDF, ReportTable.OBJECTIVES,
                    Optional.empty(), Optional.empty());
            long started = System.nanoTime();
            ReportBuilder builder = new ReportBuilder(engine, List.of(), request, "Vigil collector at scale",
                    KpiConfig.DEFAULT, List.of());
            int steps = 0;
            long longestNanos = 0;
            long longestWithoutGcNanos = 0;
            long gcMillis = 0;
            boolean done = false;
            while (!done) {
                long gcBefore = gcMillis();
                long stepStarted = System.nanoTime();
                done = builder.step(ReportBuilder.STEP.toNanos());
                long stepNanos = System.nanoTime() - stepStarted;
                long gc = gcMillis() - gcBefore;
                gcMillis += gc;
                longestNanos = Math.max(longestNanos, stepNanos);
                if (gc == 0) {
                    longestWithoutGcNanos = Math.max(longestWithoutGcNanos, stepNanos);
                }
                steps++;
            }
            SlaReport report = builder.report();
            double buildSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "run %d build   %d services in %.2f s (%.0f µs each), %d steps, longest %.1f ms"
                    + " (%.1f ms in steps without a GC; %d ms of GC in all)%n", run, report.serviceCount(), buildSeconds,
                    buildSeconds * 1e6 / services, steps, longestNanos / 1e6, longestWithoutGcNanos / 1e6, gcMillis);
            for (ReportFormat format : ReportFormat.values()) {
                ReportRequest as = new ReportRequest(request.month(), format, ReportTable.OBJECTIVES, Optional.empty(),
                        Optional.empty());
                started = System.nanoTime();
                byte[] file = as.render(report);
                System.out.printf(Locale.ROOT, "run %d %-6s %.2f s, %.1f MB%n", run, format.label(),
                        (System.nanoTime() - started) / 1e9, file.length / 1048576.0);
            }
        }
    }

    private static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }
}
