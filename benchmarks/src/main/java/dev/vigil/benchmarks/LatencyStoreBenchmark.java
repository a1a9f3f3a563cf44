package dev.vigil.benchmarks;

import dev.vigil.collector.sla.CheckLatency;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencyView;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SLA latency store ({@link CheckLatency}): recording a sample, and answering a latency objective
 * (the share of samples at or below 200 ms and the p99) over November 2026 in Berlin, 24x7 and
 * Monday to Friday 08:00–18:00, from one check holding 35 days of {@link LatencyStoreWorkload}
 * samples. Baselines in the same run: recording into one flat 3-digit HdrHistogram (189 KB, the
 * cheapest recording there is), and the 24x7 month from 31 flat per-day histograms (6 MB per check,
 * which is what the compact store avoids).
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class LatencyStoreBenchmark {
    private static final long DAY_MILLIS = LatencyStoreWorkload.DAY_MILLIS;

    /**
     * Checks recorded into round-robin, each every 30 s of simulated time, forgetting what is older
     * than 35 days once a simulated day; 1,000 checks keep the working set out of the CPU caches as a
     * collector's would.
     */
    @State(Scope.Thread)
    public static class Recording {
        @Param({"1", "1000"})
        int checks;
        CheckLatency[] latencies;
        LatencyStoreWorkload.Check[] streams;
        Histogram flat;
        int next;
        long nowMillis;
        long lastForgetMillis;

        @Setup(Level.Trial)
        public void create() {
            latencies = new CheckLatency[checks];
            streams = new LatencyStoreWorkload.Check[checks];
            for (int c = 0; c < checks; c++) {
                latencies[c] = new CheckLatency();
                streams[c] = new LatencyStoreWorkload.Check(c);
            }
            flat = new Histogram(1, 3_600_000_000L, 3);
            nowMillis = LatencyStoreWorkload.FILL_FROM_MILLIS;
            lastForgetMillis = nowMillis;
        }

        /** The next check's index; moves simulated time on after each round and forgets once a day. */
        int advance() {
            int check = next;
            if (++next == checks) {
                next = 0;
                nowMillis += 30_000;
                if (nowMillis - lastForgetMillis >= DAY_MILLIS) {
                    for (CheckLatency latency : latencies) {
                        latency.forgetBefore(nowMillis - LatencyStoreWorkload.RETENTION_MILLIS);
                    }
                    lastForgetMillis = nowMillis;
                }
            }
            return check;
        }
    }

    /** One check filled with 35 days of samples every {@code intervalSeconds}. */
    @State(Scope.Benchmark)
    public static class Filled {
        @Param({"30"})
        int intervalSeconds;
        CheckLatency latency;
        IntervalSet month24x7;
        IntervalSet monthBusinessHours;
        Histogram[] flatDays;
        Histogram scratch;

        @Setup(Level.Trial)
        public void fill() {
            latency = new CheckLatency();
            LatencyStoreWorkload.fill(latency, new LatencyStoreWorkload.Check(7), intervalSeconds * 1_000L, 0);
            month24x7 = LatencyStoreWorkload.month24x7();
            monthBusinessHours = LatencyStoreWorkload.monthBusinessHours();
            // The same samples as flat per-UTC-day histograms, for the baseline: the month's 31 UTC days.
            LatencyStoreWorkload.Check again = new LatencyStoreWorkload.Check(7);
            long firstDay = Math.floorDiv(LatencyStoreWorkload.MONTH_FROM_MILLIS, DAY_MILLIS);
            flatDays = new Histogram[31];
            for (int d = 0; d < flatDays.length; d++) {
                flatDays[d] = new Histogram(1, 3_600_000_000L, 3);
            }
            for (long t = LatencyStoreWorkload.FILL_FROM_MILLIS; t < LatencyStoreWorkload.FILL_TO_MILLIS;
                    t += intervalSeconds * 1_000L) {
                long micros = again.nextLatencyMicros();
                long day = Math.floorDiv(t, DAY_MILLIS) - firstDay;
                if (micros >= 0 && day >= 0 && day < flatDays.length) {
                    flatDays[(int) day].recordValue(Math.max(1, Math.min(3_600_000_000L, micros)));
                }
            }
            scratch = new Histogram(1, 3_600_000_000L, 3);
        }
    }

    /** Records one sample into the next check (amortised: folding into days, daily forgetting). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean record(Recording state) {
        int check = state.advance();
        long micros = state.streams[check].nextLatencyMicros();
        CheckLatency latency = state.latencies[check];
        return micros < 0 ? latency.recordFailure(state.nowMillis) : latency.recordSuccess(state.nowMillis, micros);
    }

    /** Baseline: the same sample into one flat HdrHistogram. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long baselineFlatHistogramRecord(Recording state) {
        int check = state.advance();
        long micros = state.streams[check].nextLatencyMicros();
        if (micros >= 0) {
            state.flat.recordValue(Math.max(1, Math.min(3_600_000_000L, micros)));
        }
        return micros;
    }

    /** The month 24x7: view, share at or below 200 ms, p99. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long month24x7(Filled state) {
        return answer(state.latency.view(state.month24x7));
    }

    /** The month's business hours: view, share at or below 200 ms, p99. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long monthBusinessHours(Filled state) {
        return answer(state.latency.view(state.monthBusinessHours));
    }

    /** Baseline: the 24x7 month's answers from 31 flat per-day histograms added into one. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long baselineFlatDailyHistograms24x7(Filled state) {
        Histogram month = state.scratch;
        month.reset();
        for (Histogram day : state.flatDays) {
            month.add(day);
        }
        return month.getCountBetweenValues(0, LatencyStoreWorkload.THRESHOLD_MICROS)
                + month.getValueAtPercentile(99.0);
    }

    private static long answer(LatencyView view) {
        return view.successesAtOrBelow(LatencyStoreWorkload.THRESHOLD_MICROS) + view.percentileMicros(99.0).orElse(0);
    }
}
