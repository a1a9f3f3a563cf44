package dev.vigil.benchmarks;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
        Catalogue catalogue = ScaleCatalogue.of(checks);
        long heapBefore = usedHeapAfterGc();
        SlaEngine engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));

        long started = System.nanoTime();
        long samples = ScaleCatalogue.fill(board, now, START, DAYS, checks, intervalSeconds);
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

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
