package dev.vigil.benchmarks;

import dev.vigil.collector.sla.CheckLatency;
import dev.vigil.collector.sla.DailyHours;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.ServiceCalendar;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The latency store's workload: checks whose latencies follow a lognormal distribution (median
 * between 5 ms and 300 ms, spread σ 0.3 to 0.7 by check) with one sample in 128 3 to 18 times
 * slower and one in 256 failed, sampled at a fixed interval over the 35 days from
 * 2026-10-29T00:00Z to 2026-12-03T00:00Z; and the agreed time of November 2026 in Europe/Berlin, 24x7
 * and Monday to Friday 08:00–18:00.
 */
final class LatencyStoreWorkload {
    static final long FILL_FROM_MILLIS = Instant.parse("2026-10-29T00:00:00Z").toEpochMilli();
    static final long FILL_TO_MILLIS = Instant.parse("2026-12-03T00:00:00Z").toEpochMilli();
    static final long DAY_MILLIS = 86_400_000L;
    static final long RETENTION_MILLIS = 35 * DAY_MILLIS;
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final long MONTH_FROM_MILLIS = ZonedDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    static final long MONTH_TO_MILLIS = ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    /** One threshold objectives ask about: 200 ms. */
    static final long THRESHOLD_MICROS = 200_000;

    private static final int POOL = 1 << 16;
    private static final double[] NORMALS = normals(new SplittableRandom(42));

    private LatencyStoreWorkload() {
    }

    /** November 2026 in Berlin, every hour of it. */
    static IntervalSet month24x7() {
        return IntervalSet.of(MONTH_FROM_MILLIS, MONTH_TO_MILLIS);
    }

    /** November 2026 in Berlin, Monday to Friday 08:00–18:00. */
    static IntervalSet monthBusinessHours() {
        Map<DayOfWeek, List<DailyHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY)) {
            hours.put(day, List.of(new DailyHours(8 * 60, 18 * 60)));
        }
        return new ServiceCalendar("office", ZONE, hours, Set.of()).serviceTime(MONTH_FROM_MILLIS, MONTH_TO_MILLIS);
    }

    /** The latency stream of one check. */
    static final class Check {
        private final double medianMicros;
        private final double sigma;
        private final int offset;
        private long n;

        Check(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            medianMicros = 5_000 * Math.exp(random.nextDouble() * Math.log(60));
            sigma = 0.3 + 0.4 * random.nextDouble();
            offset = random.nextInt(POOL);
        }

        /** Records this check's next sample, scheduled at {@code epochMillis}. */
        void recordNext(CheckLatency latency, long epochMillis) {
            long micros = nextLatencyMicros();
            if (micros < 0) {
                latency.recordFailure(epochMillis);
            } else {
                latency.recordSuccess(epochMillis, micros);
            }
        }

        /** The latency of this check's next sample in microseconds, or -1 for a failed one. */
        long nextLatencyMicros() {
            long i = n++;
            // Multiplicative hashing spreads failures and slow samples without a random generator per call.
            long mixed = (i + offset) * 0x9E3779B97F4A7C15L;
            if ((mixed >>> 32 & 0xFF) == 0) {
                return -1;
            }
            double micros = medianMicros * Math.exp(sigma * NORMALS[(int) ((i + offset) & (POOL - 1))]);
            if ((mixed >>> 40 & 0x7F) == 0) {
                micros *= 3 + (mixed >>> 50 & 0xF);
            }
            return (long) micros;
        }
    }

    /** Fills {@code latency} with {@code check}'s samples every {@code intervalMillis} over the 35 days. */
    static void fill(CheckLatency latency, Check check, long intervalMillis, long phaseMillis) {
        for (long t = FILL_FROM_MILLIS + phaseMillis; t < FILL_TO_MILLIS; t += intervalMillis) {
            check.recordNext(latency, t);
        }
    }

    private static double[] normals(SplittableRandom random) {
        double[] values = new double[POOL];
        for (int i = 0; i < POOL; i++) {
            values[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return values;
    }
}
