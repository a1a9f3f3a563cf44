package dev.vigil.benchmarks;

import dev.vigil.collector.sla.CheckLatency;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencyView;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Heap per check of the SLA latency store ({@link CheckLatency}) and the time to compute a month for
 * all checks: fills {@code N} checks (default 1,000) with 35 days of samples every {@code interval}
 * seconds (default 30) from {@link LatencyStoreWorkload}, then reports
 * <ul>
 *   <li>heap per check, measured: used heap after full GCs with the checks held, minus before;</li>
 *   <li>heap per check, estimated: {@link CheckLatency#retainedBytes()}, the cross-check;</li>
 *   <li>bytes per retained sample, and the snapshot bytes per check ({@link CheckLatency#writeTo});</li>
 *   <li>fill time per sample (single thread, including the generator);</li>
 *   <li>the time to compute November 2026 in Berlin for every check, 24x7 and business hours: the view
 *       plus the ratio below 200 ms and the p99, several rounds, best and median.</li>
 * </ul>
 *
 * <pre>{@code java -Xmx4g -cp benchmarks/target/vigil-benchmarks.jar \
 *     dev.vigil.benchmarks.LatencyStoreMemory [N] [interval seconds]}</pre>
 */
public final class LatencyStoreMemory {
    private static final int ROUNDS = 7;

    private LatencyStoreMemory() {
    }

    /** Runs the measurement and prints its figures. */
    public static void main(String[] args) throws IOException {
        int checks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        long intervalMillis = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1_000L;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        // Loads the workload's tables (512 KB of normal deviates) before the baseline, not into the checks.
        new LatencyStoreWorkload.Check(-1).nextLatencyMicros();
        long before = usedAfterGc(memory);
        CheckLatency[] latencies = new CheckLatency[checks];
        long fillStart = System.nanoTime();
        long samples = 0;
        for (int c = 0; c < checks; c++) {
            latencies[c] = new CheckLatency();
            LatencyStoreWorkload.Check check = new LatencyStoreWorkload.Check(c);
            // Checks start at different offsets within their interval, as real schedules do.
            LatencyStoreWorkload.fill(latencies[c], check, intervalMillis, c * 997L % intervalMillis);
        }
        long fillNanos = System.nanoTime() - fillStart;
        for (CheckLatency latency : latencies) {
            latency.forgetBefore(LatencyStoreWorkload.FILL_TO_MILLIS - LatencyStoreWorkload.RETENTION_MILLIS);
            samples += latency.view(IntervalSet.of(Long.MIN_VALUE, Long.MAX_VALUE)).samples();
        }
        long after = usedAfterGc(memory);

        long estimated = 0;
        CountingStream counter = new CountingStream();
        for (CheckLatency latency : latencies) {
            estimated += latency.retainedBytes();
            latency.writeTo(new DataOutputStream(counter));
        }
        long snapshot = counter.count;
        // The array of references belongs to the harness, not to the checks.
        long measured = after - before - (16 + 4L * checks);
        double perCheckSamples = (double) samples / checks;
        System.out.printf(Locale.ROOT, "%,d checks, 35 days every %d s: %,.0f samples per check retained%n", checks,
                intervalMillis / 1_000, perCheckSamples);
        System.out.printf(Locale.ROOT, "heap per check, measured (GC + MemoryMXBean): %,.0f B = %.2f B per sample%n",
                (double) measured / checks, (double) measured / samples);
        System.out.printf(Locale.ROOT, "heap per check, estimated (retainedBytes):    %,.0f B = %.2f B per sample%n",
                (double) estimated / checks, (double) estimated / samples);
        System.out.printf(Locale.ROOT, "snapshot per check (writeTo):                 %,.0f B%n",
                (double) snapshot / checks);
        System.out.printf(Locale.ROOT, "for 10,000 checks: %.2f GB of heap (measured figure)%n",
                measured / (double) checks * 10_000 / 1e9);
        System.out.printf(Locale.ROOT, "fill: %.3f µs per sample, generator included%n", fillNanos / 1e3 / samples);

        report("24x7", latencies, LatencyStoreWorkload.month24x7());
        report("business hours", latencies, LatencyStoreWorkload.monthBusinessHours());
    }

    private static void report(String name, CheckLatency[] latencies, IntervalSet agreed) {
        long[] rounds = new long[ROUNDS];
        long sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (CheckLatency latency : latencies) {
                LatencyView view = latency.view(agreed);
                sink += view.successesAtOrBelow(LatencyStoreWorkload.THRESHOLD_MICROS)
                        + view.percentileMicros(99.0).orElse(0);
            }
            rounds[r] = System.nanoTime() - start;
        }
        Arrays.sort(rounds);
        System.out.printf(Locale.ROOT, "November 2026 (Berlin) %s for all %,d checks: best %.1f ms, median %.1f ms "
                + "(%.1f µs per check; checksum %d)%n", name, latencies.length, rounds[0] / 1e6,
                rounds[ROUNDS / 2] / 1e6, rounds[ROUNDS / 2] / 1e3 / latencies.length, sink % 1000);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        // Several rounds: one System.gc() may leave floating garbage that the next one collects.
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Counts the bytes written to it, keeps none. */
    private static final class CountingStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
