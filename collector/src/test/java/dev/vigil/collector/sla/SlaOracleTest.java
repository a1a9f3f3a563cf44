package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sample sequences through the state machine and the SLA engine, checked against a naive
 * reference computed from the raw sample list: outages from runs, downtime by counting down seconds,
 * percentiles by sorting.
 */
class SlaOracleTest {
    private static final CheckKey KEY = new CheckKey("oracle", "web");
    private static final double[] PERCENTILES = {50.0, 95.0, 99.0};

    /** One raw sample: scheduled time (whole seconds), success, total time. */
    private record Raw(long epochMillis, boolean success, long totalNanos) {
    }

    /** A reference outage; end is Long.MAX_VALUE while it lasts. */
    private record Span(long start, long end) {
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 30);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void engineAgreesWithTheNaiveReference(long seed) {
        Random random = new Random(seed);
        Thresholds thresholds = new Thresholds(1 + random.nextInt(4), 1 + random.nextInt(4));
        long intervalSeconds = new long[] {5, 10, 30, 60, 600}[random.nextInt(5)];
        int count = seed % 10 == 0 ? 6_000 : 500 + random.nextInt(2_500);
        long start = 1_700_000_000_000L + random.nextInt(86_400) * 1000L;
        List<Raw> raws = generate(random, start, intervalSeconds, count);

        ManualClock clock = new ManualClock(start);
        SlaEngine engine = new SlaEngine(clock);
        CheckBoard board = new CheckBoard(thresholds, List.of(engine));
        int fed = 0;
        for (int checkpoint = 1; checkpoint <= 4; checkpoint++) {
            int until = checkpoint == 4 ? raws.size() : raws.size() * checkpoint / 4;
            for (; fed < until; fed++) {
                Raw raw = raws.get(fed);
                board.apply(KEY.agent(), sample(raw), raw.epochMillis(), fed);
            }
            long now = raws.get(fed - 1).epochMillis() + random.nextInt((int) intervalSeconds) * 1000L;
            clock.set(now);
            List<Raw> prefix = raws.subList(0, fed);
            List<Span> outages = referenceOutages(prefix, thresholds);
            for (Window window : Window.values()) {
                String where = "seed " + seed + ", " + fed + " samples, window " + window.label();
                compare(engine.figures(KEY, window).orElseThrow(), prefix, outages, window, now, where);
            }
        }
    }

    private static void compare(WindowFigures actual, List<Raw> raws, List<Span> outages, Window window, long now,
            String where) {
        long windowStart = now - window.lengthMillis();
        long observedStart = Math.max(windowStart, raws.get(0).epochMillis());

        // Mark every down second of the observed part, then count them.
        int observedSeconds = (int) Math.max(0, (now - observedStart) / 1000);
        BitSet down = new BitSet(observedSeconds);
        for (Span outage : outages) {
            for (long second = Math.max(outage.start(), observedStart); second < Math.min(outage.end(), now);
                    second += 1000) {
                down.set((int) ((second - observedStart) / 1000));
            }
        }
        long downSeconds = down.cardinality();
        int overlapping = 0;
        int ended = 0;
        long endedMillis = 0;
        for (Span outage : outages) {
            long end = Math.min(outage.end(), now);
            if (outage.start() <= now && end > windowStart) {
                overlapping++;
            }
            if (outage.end() != Long.MAX_VALUE && outage.end() > windowStart && outage.end() <= now) {
                ended++;
                endedMillis += outage.end() - outage.start();
            }
        }
        assertThat(actual.observedMillis()).as(where + ": observed").isEqualTo(observedSeconds * 1000L);
        assertThat(actual.downtimeMillis()).as(where + ": downtime").isEqualTo(downSeconds * 1000);
        assertThat(actual.outages()).as(where + ": outages").isEqualTo(overlapping);
        assertThat(actual.endedOutages()).as(where + ": ended outages").isEqualTo(ended);
        assertThat(actual.endedOutageMillis()).as(where + ": ended outage time").isEqualTo(endedMillis);

        long currentBucket = Math.floorDiv(now, window.bucketMillis());
        List<Raw> inBuckets = raws.stream()
                .filter(raw -> Math.floorDiv(raw.epochMillis(), window.bucketMillis()) > currentBucket - window.buckets())
                .toList();
        assertThat(actual.samples()).as(where + ": samples").isEqualTo(inBuckets.size());
        long[] micros = inBuckets.stream().filter(Raw::success)
                .mapToLong(raw -> Math.max(1, Math.min(3_600_000_000L, raw.totalNanos() / 1000)))
                .sorted().toArray();
        if (micros.length == 0) {
            assertThat(actual.latency()).as(where + ": latency").isEmpty();
            return;
        }
        LatencyPercentiles latency = actual.latency().orElseThrow();
        assertThat(latency.count()).as(where + ": latency count").isEqualTo(micros.length);
        long[] reported = {latency.p50Micros(), latency.p95Micros(), latency.p99Micros()};
        for (int i = 0; i < PERCENTILES.length; i++) {
            long rank = Math.max(1, (long) Math.ceil(PERCENTILES[i] / 100.0 * micros.length - 1e-9));
            long exact = micros[(int) rank - 1];
            // 3 significant digits: the reported value is the top of the bucket holding the exact one.
            assertThat(reported[i]).as(where + ": p" + PERCENTILES[i] + " of " + Arrays.toString(
                    Arrays.copyOf(micros, Math.min(micros.length, 5))) + "...")
                    .isBetween(exact, exact + exact / 1000 + 1);
        }
    }

    /** Outages from maximal runs: a run reaching its threshold changes the state from its first sample. */
    private static List<Span> referenceOutages(List<Raw> raws, Thresholds thresholds) {
        List<Span> outages = new ArrayList<>();
        String state = "unknown";
        long downSince = 0;
        int i = 0;
        while (i < raws.size()) {
            int j = i;
            while (j < raws.size() && raws.get(j).success() == raws.get(i).success()) {
                j++;
            }
            boolean success = raws.get(i).success();
            int needed = success ? thresholds.successesToClose() : thresholds.failuresToOpen();
            if (j - i >= needed) {
                if (!success && !state.equals("down")) {
                    downSince = raws.get(i).epochMillis();
                    state = "down";
                } else if (success && !state.equals("up")) {
                    if (state.equals("down")) {
                        outages.add(new Span(downSince, raws.get(i).epochMillis()));
                    }
                    state = "up";
                }
            }
            i = j;
        }
        if (state.equals("down")) {
            outages.add(new Span(downSince, Long.MAX_VALUE));
        }
        return outages;
    }

    private static List<Raw> generate(Random random, long start, long intervalSeconds, int count) {
        List<Raw> raws = new ArrayList<>();
        boolean healthy = true;
        long t = start;
        for (int i = 0; i < count; i++) {
            if (random.nextDouble() < (healthy ? 0.04 : 0.15)) {
                healthy = !healthy;
            }
            boolean success = healthy ? random.nextDouble() > 0.05 : random.nextDouble() < 0.2;
            double logMicros = 2 + random.nextGaussian() * 1.2 + (random.nextDouble() < 0.02 ? 3 : 0);
            long totalNanos = (long) (Math.pow(10, Math.max(0, Math.min(9.6, logMicros))) * 1000);
            raws.add(new Raw(t, success, totalNanos));
            // Whole seconds, so the reference can count down time second by second.
            t += Math.max(1, intervalSeconds + random.nextInt(3) - 1) * 1000L;
            if (random.nextDouble() < 0.01) {
                t += intervalSeconds * 1000L * random.nextInt(200);
            }
        }
        return raws;
    }

    private static Sample sample(Raw raw) {
        return new Sample("web", raw.epochMillis(), 0, raw.success() ? Outcome.OK : Outcome.TIMEOUT,
                -1, -1, -1, -1, raw.totalNanos(), raw.success() ? 200 : 0, raw.success() ? "" : "timed out");
    }
}
