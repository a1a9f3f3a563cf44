package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sample streams through {@link CheckLatency} and through a naive reference that keeps every
 * raw sample in a list and answers from a flat HdrHistogram: in any insertion order, with repeated
 * samples, latencies outside 1 µs .. 1 h, forgetting, and a write and read-back at random points,
 * counts, at-or-below counts and percentiles agree exactly for random agreed time.
 */
class CheckLatencyOracleTest {
    private static final long DAY = 86_400_000L;
    private static final long QUARTER_HOUR = CheckLatency.BUCKET_MILLIS;
    private static final double[] PERCENTILES = {0.0, 0.1, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0};
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Asia/Kathmandu"),
            ZoneId.of("Australia/Adelaide"));

    /** One raw sample of the reference. */
    private record Raw(long epochMillis, boolean success, long micros) {
        long bucket() {
            return Math.floorDiv(epochMillis, QUARTER_HOUR);
        }
    }

    /** The reference: every sample in a list, the horizon applied by filtering. */
    private static final class Naive {
        private final List<Raw> samples = new ArrayList<>();
        private long firstKeptBucket = Long.MIN_VALUE;
        private long ignored;

        boolean record(Raw raw) {
            if (raw.bucket() < firstKeptBucket) {
                ignored++;
                return false;
            }
            samples.add(raw);
            return true;
        }

        void forgetBefore(long epochMillis) {
            long cut = Math.floorDiv(epochMillis, QUARTER_HOUR)
                    + (Math.floorMod(epochMillis, QUARTER_HOUR) == 0 ? 0 : 1);
            if (cut > firstKeptBucket) {
                firstKeptBucket = cut;
                samples.removeIf(raw -> raw.bucket() < cut);
            }
        }
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 250).mapToObj(i -> 0x5EED_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithAFlatHistogramOfAllRawSamples(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // Mostly around 2026; one scenario in ten straddles the epoch, so bucket numbers go negative.
        long start = random.nextInt(10) == 0 ? -2 * DAY - random.nextLong(DAY)
                : 1_780_000_000_000L + random.nextLong(400 * DAY);
        // Some spans hold whole weeks, so week summaries are built, dropped by late samples and rebuilt.
        long span = QUARTER_HOUR + random.nextLong(random.nextBoolean() ? 6 * DAY : 24 * DAY);
        List<Raw> stream = sampleStream(random, start, span);

        CheckLatency latency = new CheckLatency();
        Naive naive = new Naive();
        int next = 0;
        while (next < stream.size()) {
            int chunk = 1 + random.nextInt(random.nextBoolean() ? 20 : 400);
            for (int end = Math.min(stream.size(), next + chunk); next < end; next++) {
                Raw raw = stream.get(next);
                boolean accepted = raw.success() ? latency.recordSuccess(raw.epochMillis(), raw.micros())
                        : latency.recordFailure(raw.epochMillis());
                assertThat(accepted).isEqualTo(naive.record(raw));
            }
            switch (random.nextInt(6)) {
                case 0 -> {
                    long cut = start - DAY + random.nextLong(span / 2 + DAY);
                    latency.forgetBefore(cut);
                    naive.forgetBefore(cut);
                }
                case 1 -> latency = roundTrip(latency);
                case 2 -> compare(latency, naive, randomAgreed(random, start, span), random);
                default -> {
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            compare(latency, naive, randomAgreed(random, start, span), random);
        }
        compare(latency, naive, IntervalSet.of(Long.MIN_VALUE, Long.MAX_VALUE), random);
        compare(roundTrip(latency), naive, randomAgreed(random, start, span), random);
        assertThat(latency.ignoredSamples()).isEqualTo(naive.ignored);
    }

    private static List<Raw> sampleStream(SplittableRandom random, long start, long span) {
        // Some streams exceed the 4,096 samples held pending while samples arrive out of order.
        int count = switch (random.nextInt(8)) {
            case 0 -> random.nextInt(5);
            case 1, 2 -> random.nextInt(12_000);
            default -> random.nextInt(4_000);
        };
        List<Raw> samples = new ArrayList<>(count);
        long time = start;
        for (int i = 0; i < count; i++) {
            long at;
            if (!samples.isEmpty() && random.nextInt(12) == 0) {
                samples.add(samples.get(random.nextInt(samples.size())));
                continue;
            }
            if (random.nextInt(8) == 0) {
                at = start + random.nextLong(span);
            } else {
                time = Math.min(start + span - 1, time + random.nextLong(1 + 2 * span / Math.max(1, count)));
                at = time;
            }
            boolean success = random.nextInt(10) != 0;
            samples.add(new Raw(at, success, success ? latency(random) : 0));
        }
        if (random.nextInt(3) == 0) {
            // Fully shuffled, as a replay of many agents' batches in any order would be.
            for (int i = samples.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Raw swap = samples.get(i);
                samples.set(i, samples.get(j));
                samples.set(j, swap);
            }
        }
        return samples;
    }

    private static long latency(SplittableRandom random) {
        return switch (random.nextInt(40)) {
            case 0 -> random.nextBoolean() ? 0 : -random.nextLong(1_000);
            case 1 -> 3_600_000_000L + random.nextLong(2) * random.nextLong(1, Long.MAX_VALUE / 2);
            case 2 -> 1 + random.nextInt(4_096);
            case 3, 4 -> 200_000 + random.nextLong(5_000_000);
            default -> Math.max(1, (long) (20_000 * Math.exp(0.5 * BucketCodecTest.gaussian(random))));
        };
    }

    private static IntervalSet randomAgreed(SplittableRandom random, long start, long span) {
        long from = start - DAY;
        long to = start + span + DAY;
        return switch (random.nextInt(6)) {
            case 0 -> IntervalSet.of(from + random.nextLong(span / 2 + 1), to - random.nextLong(span / 2 + 1));
            case 1 -> {
                long firstDay = Math.floorDiv(from, DAY) * DAY;
                // Whole UTC days, often from a Monday (epoch day 4 was one) for whole weeks.
                long monday = firstDay + Math.floorMod(4 - Math.floorDiv(firstDay, DAY), 7) * DAY;
                long first = random.nextBoolean() ? monday : firstDay + DAY;
                yield IntervalSet.of(first, first + DAY * (1 + random.nextInt(22)));
            }
            case 2, 3 -> businessHours(random, from, to);
            default -> {
                IntervalSet.Builder builder = IntervalSet.builder();
                for (int i = random.nextInt(25); i > 0; i--) {
                    long a = from + random.nextLong(to - from);
                    long length = random.nextBoolean() ? random.nextLong(4 * QUARTER_HOUR) : random.nextLong(DAY);
                    if (random.nextBoolean()) {
                        a -= Math.floorMod(a, QUARTER_HOUR);
                        length -= Math.floorMod(length, QUARTER_HOUR);
                    }
                    builder.add(a, a + length);
                }
                yield builder.build();
            }
        };
    }

    /** Weekday 08:00–18:00 in a random zone, minus a random maintenance window. */
    private static IntervalSet businessHours(SplittableRandom random, long from, long to) {
        Map<DayOfWeek, List<DailyHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.getValue() <= 5 || random.nextInt(4) == 0) {
                hours.put(day, List.of(new DailyHours(8 * 60, 18 * 60)));
            }
        }
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        IntervalSet serviceTime = new ServiceCalendar("office", zone, hours, Set.of()).serviceTime(from, to);
        long maintenance = from + random.nextLong(to - from);
        return serviceTime.minus(IntervalSet.of(maintenance, maintenance + random.nextLong(3 * 3_600_000L)));
    }

    private static void compare(CheckLatency latency, Naive naive, IntervalSet agreed, SplittableRandom random) {
        Histogram flat = new Histogram(1, LatencyScale.HIGHEST_MICROS, LatencyScale.SIGNIFICANT_DIGITS);
        long samples = 0;
        for (Raw raw : naive.samples) {
            if (agreed.contains(raw.bucket() * QUARTER_HOUR)) {
                samples++;
                if (raw.success()) {
                    flat.recordValue(Math.max(1, Math.min(LatencyScale.HIGHEST_MICROS, raw.micros())));
                }
            }
        }
        LatencyView view = latency.view(agreed);
        String where = agreed.toString();
        assertThat(view.samples()).as("samples in %s", where).isEqualTo(samples);
        assertThat(view.successes()).as("successes in %s", where).isEqualTo(flat.getTotalCount());
        for (int i = 0; i < 12; i++) {
            long threshold = threshold(random, flat);
            assertThat(view.successesAtOrBelow(threshold)).as("at or below %d in %s", threshold, where)
                    .isEqualTo(threshold == 0 ? 0 : flat.getCountBetweenValues(0, threshold));
        }
        for (int i = 0; i < PERCENTILES.length + 3; i++) {
            double percentile = i < PERCENTILES.length ? PERCENTILES[i] : random.nextDouble() * 100;
            OptionalLong expected = flat.getTotalCount() == 0 ? OptionalLong.empty()
                    : OptionalLong.of(flat.getValueAtPercentile(percentile));
            assertThat(view.percentileMicros(percentile)).as("p%s in %s", percentile, where).isEqualTo(expected);
        }
    }

    private static long threshold(SplittableRandom random, Histogram flat) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextLong(LatencyScale.HIGHEST_MICROS);
            case 1 -> {
                int index = random.nextInt(LatencyScale.INDEX_COUNT);
                yield LatencyScale.lowestValue(index) - random.nextInt(2);
            }
            case 2 -> LatencyScale.highestValue(random.nextInt(LatencyScale.INDEX_COUNT)) + random.nextInt(2);
            case 3 -> random.nextInt(3);
            default -> flat.getTotalCount() == 0 ? 20_000 : Math.max(0,
                    flat.getValueAtPercentile(random.nextDouble() * 100) + random.nextInt(-20, 20));
        };
    }

    private static CheckLatency roundTrip(CheckLatency latency) {
        try {
            byte[] written = write(latency);
            CheckLatency read = CheckLatency.readFrom(new DataInputStream(new ByteArrayInputStream(written)));
            assertThat(write(read)).isEqualTo(written);
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] write(CheckLatency latency) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            latency.writeTo(out);
        }
        return bytes.toByteArray();
    }
}
