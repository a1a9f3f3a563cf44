package dev.vigil.protocol;

import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs numbered fuzz cases, each from its own random source derived from one seed, on a worker
 * thread watched for a case that runs over {@link #CASE_LIMIT_MILLIS}. A failure names the seed and
 * the case, and shows the input, so {@code -Dvigil.fuzz.seed=S -Dvigil.fuzz.case=N} runs it again alone.
 *
 * <p>System properties: {@code vigil.fuzz.executions} (cases per fuzz test; the default is the CI
 * run's), {@code vigil.fuzz.seed} (default: random, printed), {@code vigil.fuzz.case} (only that case).
 */
final class FuzzRun {
    /** No case may take this long: a hang, or work out of all proportion to its input (a case decodes at most
     * tens of kilobytes; the limit leaves room for GC and JIT pauses on a shared machine). */
    static final long CASE_LIMIT_MILLIS = 5_000;

    /** One fuzz case. */
    interface Case {
        void run(SplittableRandom random, FuzzRun run) throws Exception;
    }

    /** What a run did, for the report line. */
    record Report(String name, long executions, long nanos, long slowestNanos, long seed) {
        double perSecond() {
            return executions / (nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fuzz %s: %,d executions in %.1f s (%,.0f/s), slowest %.2f ms, seed %d",
                    name, executions, nanos / 1e9, perSecond(), slowestNanos / 1e6, seed);
        }
    }

    private final String name;
    private final long seed;
    private volatile long caseStartNanos;
    private volatile long caseNumber = -1;
    private volatile byte[] input = new byte[0];
    private long slowestNanos;

    private FuzzRun(String name, long seed) {
        this.name = name;
        this.seed = seed;
    }

    /** Executions per fuzz test: {@code -Dvigil.fuzz.executions}, else {@code ciDefault}. */
    static long executions(long ciDefault) {
        return Long.getLong("vigil.fuzz.executions", ciDefault);
    }

    /** Runs {@code executions} cases of {@code body}, failing on the first case that throws or hangs. */
    static Report run(String name, long executions, Case body) throws InterruptedException {
        long seed = Long.getLong("vigil.fuzz.seed", new SplittableRandom().nextLong());
        Long only = Long.getLong("vigil.fuzz.case");
        FuzzRun run = new FuzzRun(name, seed);
        ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        Future<Long> done = worker.submit(() -> {
            long first = only == null ? 0 : only;
            long last = only == null ? executions : only + 1;
            for (long i = first; i < last; i++) {
                run.caseNumber = i;
                run.input = new byte[0];
                long caseStart = System.nanoTime();
                run.caseStartNanos = caseStart;
                body.run(new SplittableRandom(mix(seed, i)), run);
                run.slowestNanos = Math.max(run.slowestNanos, System.nanoTime() - caseStart);
            }
            return last - first;
        });
        try {
            while (true) {
                try {
                    long ran = done.get(100, TimeUnit.MILLISECONDS);
                    Report report = new Report(name, ran, System.nanoTime() - start, run.slowestNanos, seed);
                    System.out.println(report);
                    if (report.slowestNanos() > TimeUnit.MILLISECONDS.toNanos(CASE_LIMIT_MILLIS)) {
                        throw run.failure("took " + report.slowestNanos() / 1_000_000 + " ms in its slowest case", null);
                    }
                    return report;
                } catch (TimeoutException e) {
                    long running = System.nanoTime() - run.caseStartNanos;
                    if (run.caseNumber >= 0 && running > TimeUnit.MILLISECONDS.toNanos(CASE_LIMIT_MILLIS)) {
                        done.cancel(true);
                        throw run.failure("case ran for more than " + CASE_LIMIT_MILLIS + " ms", null);
                    }
                } catch (ExecutionException e) {
                    throw run.failure("case failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** Shows {@code bytes} in a failure report as the case's input. */
    void input(byte[] bytes) {
        input = bytes;
    }

    private AssertionError failure(String what, Throwable cause) {
        byte[] shown = input;
        String hex = HexFormat.of().formatHex(shown, 0, Math.min(shown.length, 600));
        return new AssertionError(String.format(Locale.ROOT,
                "fuzz %s: %s; reproduce with -Dvigil.fuzz.seed=%d -Dvigil.fuzz.case=%d%ninput (%d bytes): %s%s", name,
                what, seed, caseNumber, shown.length, hex, shown.length > 600 ? "..." : ""), cause);
    }

    /** SplitMix64's finaliser: neighbouring case numbers get unrelated random sources. */
    private static long mix(long seed, long caseNumber) {
        long z = seed + caseNumber * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
