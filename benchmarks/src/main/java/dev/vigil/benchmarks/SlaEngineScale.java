package dev.vigil.benchmarks;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The SLA engine at scale, in one process: {@code N} services of one check each (default 10,000),
 * each with a monthly SLA of an availability and two latency objectives over a business-hours
 * calendar in Europe/Berlin, fed a month of samples (default one per check every 5 minutes, about one
 * in 150 failing in runs that make outages, latencies lognormal around 20 ms) through the real board
 * and engine. Prints the feed rate (samples per second on this thread: state machines, timelines and
 * latency buckets), the heap per check after a full GC, and the time to evaluate every service's
 * monthly SLA report, the latency percentiles over agreed time included, and the size and the capture
 * and restore times of the snapshot of board and engine.
 *
 * <p>{@code java -cp benchmarks/target/vigil-benchmarks.jar dev.vigil.benchmarks.SlaEngineScale
 * [checks] [interval seconds]}; give the JVM room, e.g. {@code -Xmx8g}.
 */
public final class SlaEngineScale {
    private static final long START = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    private static final long DAYS = 30;

    private SlaEngineScale() {
    }

    /** Runs the measurement and prints one line per figure. */
    public static void main(String[] args) {
        int checks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int intervalSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        long[] now = {START};
        InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
        Catalogue catalogue = catalogue(checks);
        long heapBefore = usedHeapAfterGc();
        SlaEngine engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));

        SplittableRandom random = new SplittableRandom(7);
        boolean[] down = new boolean[checks];
        long intervalMillis = intervalSeconds * 1000L;
        long rounds = DAYS * 86_400_000L / intervalMillis;
        long samples = 0;
        long index = 0;
        long started = System.nanoTime();
        for (long round = 0; round < rounds; round++) {
            long scheduled = START + round * intervalMillis;
            now[0] = scheduled + 2_000;
            for (int c = 0; c < checks; c++) {
                if (random.nextInt(3_000) == 0) {
                    down[c] = !down[c];
                }
                boolean success = down[c] ? random.nextInt(10) == 0 : random.nextInt(500) != 0;
                long latencyMicros = (long) (20_000 * Math.exp(0.5 * random.nextDouble() * random.nextDouble() * 4));
                Sample sample = new Sample("check-" + c, scheduled + c % 1_000, 0,
                        success ? Outcome.OK : Outcome.TIMEOUT, -1, -1, -1, -1, latencyMicros * 1_000,
                        success ? 200 : 0, success ? "" : "timed out");
                board.apply("agent", sample, now[0], index++);
                samples++;
            }
        }
        double feedSeconds = (System.nanoTime() - started) / 1e9;
        long heapAfter = usedHeapAfterGc();
        now[0] = START + DAYS * 86_400_000L;

        started = System.nanoTime();
        int met = 0;
        long outages = 0;
        for (String service : engine.serviceNames()) {
            SlaResult result = engine.currentResult(service).orElseThrow();
            met += result.objectives().stream().allMatch(o -> o.met()) ? 1 : 0;
            outages += result.outages().size();
        }
        double reportSeconds = (System.nanoTime() - started) / 1e9;

        started = System.nanoTime();
        SnapshotBytes snapshot = SnapshotCodec.capture(List.of(board, engine));
        double captureSeconds = (System.nanoTime() - started) / 1e9;
        SlaEngine restoredEngine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
        CheckBoard restoredBoard = new CheckBoard(Thresholds.DEFAULT, List.of(restoredEngine));
        started = System.nanoTime();
        SnapshotCodec.restore(snapshot, List.of(restoredBoard, restoredEngine));
        double restoreSeconds = (System.nanoTime() - started) / 1e9;

        System.out.printf(Locale.ROOT, "checks                    %d, one sample every %d s for %d days%n", checks,
                intervalSeconds, DAYS);
        System.out.printf(Locale.ROOT, "samples fed               %d in %.1f s: %.0f samples/s on one thread%n", samples,
                feedSeconds, samples / feedSeconds);
        System.out.printf(Locale.ROOT, "heap per check            %.1f KB (%.1f MB for all, after GC)%n",
                (heapAfter - heapBefore) / 1024.0 / checks, (heapAfter - heapBefore) / 1048576.0);
        System.out.printf(Locale.ROOT, "latency buckets per check %.1f KB (the engine's own estimate)%n",
                engine.retainedLatencyBytes() / 1024.0 / checks);
        System.out.printf(Locale.ROOT, "monthly reports           %d services in %.2f s (%.0f µs each); %d met, %d outages%n",
                checks, reportSeconds, reportSeconds * 1e6 / checks, met, outages);
        System.out.printf(Locale.ROOT, "snapshot                  %.1f MB (%.1f KB per check): captured in %.2f s, restored in %.2f s%n",
                snapshot.size() / 1048576.0, snapshot.size() / 1024.0 / checks, captureSeconds, restoreSeconds);
    }

    private static Catalogue catalogue(int checks) {
        StringBuilder yaml = new StringBuilder("""
                agents:
                  - {name: agent, token: t}
                calendars:
                  office:
                    zone: Europe/Berlin
                    hours: {mon-fri: "08:00-18:00"}
                slas:
                  gold:
                    period: month
                    calendar: office
                    objectives:
                      - availability: 99.9%
                      - latency: {threshold: 100ms, target: 99%}
                      - latency: {percentile: p95, threshold: 150ms}
                services:
                """);
        for (int c = 0; c < checks; c++) {
            yaml.append("  - {name: service-").append(c).append(", sla: gold, checks: [{check: check-").append(c)
                    .append(", agents: [agent]}]}\n");
        }
        return CollectorConfig.parse("collector.yaml", yaml.toString(), name -> null, Path.of("/tmp")).catalogue()
                .catalogue();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
