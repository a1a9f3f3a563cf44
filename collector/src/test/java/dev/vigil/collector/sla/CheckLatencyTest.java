package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CheckLatencyTest {
    private static final long QUARTER_HOUR = CheckLatency.BUCKET_MILLIS;
    private static final long DAY = 86_400_000L;
    /** Monday 2026-11-02T00:00Z. */
    private static final long MONDAY = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final IntervalSet ALL_TIME = IntervalSet.of(Long.MIN_VALUE, Long.MAX_VALUE);

    @Test
    void aBucketCountsWhenItsStartLiesInAgreedTime() {
        CheckLatency latency = new CheckLatency();
        latency.recordSuccess(MONDAY + 14 * 60_000, 1_000);
        latency.recordSuccess(MONDAY + QUARTER_HOUR, 2_000);

        assertThat(latency.view(IntervalSet.of(MONDAY, MONDAY + 1)).samples()).isEqualTo(1);
        assertThat(latency.view(IntervalSet.of(MONDAY + 1, MONDAY + QUARTER_HOUR)).samples()).isZero();
        assertThat(latency.view(IntervalSet.of(MONDAY + 1, MONDAY + QUARTER_HOUR + 1)).samples()).isEqualTo(1);
        assertThat(latency.view(IntervalSet.of(MONDAY - QUARTER_HOUR, MONDAY)).samples()).isZero();
    }

    @Test
    void aLatencyCountsAtOrBelowAThresholdInTheSameThreeDigitBucket() {
        CheckLatency latency = new CheckLatency();
        // Around 200 ms HdrHistogram's buckets are 128 µs wide: 199,936..200,063 share one.
        latency.recordSuccess(MONDAY, 199_935);
        latency.recordSuccess(MONDAY, 199_936);
        latency.recordSuccess(MONDAY, 200_063);
        latency.recordSuccess(MONDAY, 200_064);
        LatencyView view = latency.view(ALL_TIME);

        assertThat(view.successesAtOrBelow(200_000)).isEqualTo(3);
        assertThat(view.successesAtOrBelow(199_935)).isEqualTo(1);
        assertThat(view.successesAtOrBelow(199_934)).isEqualTo(1);
        assertThat(view.successesAtOrBelow(199_800)).isZero();
        assertThat(view.percentileMicros(50)).hasValue(200_063);
        assertThat(view.percentileMicros(0)).hasValue(199_808);
        assertThat(view.percentileMicros(100)).hasValue(200_191);
    }

    @Test
    void failedSamplesCountAsSamplesButHaveNoLatency() {
        CheckLatency latency = new CheckLatency();
        latency.recordFailure(MONDAY);
        latency.recordFailure(MONDAY + 30_000);
        LatencyView onlyFailures = latency.view(ALL_TIME);

        assertThat(onlyFailures.samples()).isEqualTo(2);
        assertThat(onlyFailures.successes()).isZero();
        assertThat(onlyFailures.successesAtOrBelow(Long.MAX_VALUE)).isZero();
        assertThat(onlyFailures.percentileMicros(99)).isEmpty();

        latency.recordSuccess(MONDAY + 60_000, 5_000);
        assertThat(latency.view(ALL_TIME).successes()).isEqualTo(1);
        // Between 4,096 and 8,191 µs values share buckets of 4: 5,000..5,003.
        assertThat(latency.view(ALL_TIME).percentileMicros(99)).hasValue(5_003);
    }

    @Test
    void latenciesOutsideOneMicrosecondToOneHourCountAsTheNearestBound() {
        CheckLatency latency = new CheckLatency();
        latency.recordSuccess(MONDAY, 0);
        latency.recordSuccess(MONDAY, -7);
        latency.recordSuccess(MONDAY, 5 * 3_600_000_000L);
        LatencyView view = latency.view(ALL_TIME);

        assertThat(view.successesAtOrBelow(0)).isZero();
        assertThat(view.successesAtOrBelow(1)).isEqualTo(2);
        // The last bucket holds 3,598,712,832..3,600,809,983 µs.
        assertThat(view.successesAtOrBelow(3_598_712_831L)).isEqualTo(2);
        assertThat(view.successesAtOrBelow(3_598_712_832L)).isEqualTo(3);
        assertThat(view.successesAtOrBelow(3_600_000_000L)).isEqualTo(3);
        assertThat(view.percentileMicros(100).getAsLong()).isBetween(3_600_000_000L, 3_602_000_000L);
    }

    @Test
    void aLateSampleFoldsIntoItsBucketAfterLaterDaysHaveSummaries() {
        CheckLatency latency = new CheckLatency();
        for (long t = MONDAY; t < MONDAY + 9 * DAY; t += 60_000) {
            latency.recordSuccess(t, 20_000);
        }
        LatencyView before = latency.view(IntervalSet.of(MONDAY + DAY, MONDAY + 2 * DAY));

        latency.recordSuccess(MONDAY + DAY + 5 * QUARTER_HOUR + 1, 900_000);
        LatencyView day = latency.view(IntervalSet.of(MONDAY + DAY, MONDAY + 2 * DAY));
        LatencyView week = latency.view(IntervalSet.of(MONDAY, MONDAY + 7 * DAY));
        LatencyView bucket = latency.view(
                IntervalSet.of(MONDAY + DAY + 5 * QUARTER_HOUR, MONDAY + DAY + 6 * QUARTER_HOUR));

        assertThat(day.samples()).isEqualTo(before.samples() + 1);
        assertThat(day.successesAtOrBelow(100_000)).isEqualTo(before.samples());
        assertThat(week.samples()).isEqualTo(7 * 1_440 + 1);
        assertThat(week.percentileMicros(100).getAsLong()).isGreaterThanOrEqualTo(900_000);
        assertThat(bucket.samples()).isEqualTo(16);
    }

    @Test
    void aWholeWeekReadsTheSameFiguresFromItsSummaryAsFromItsDays() {
        IntervalSet week = IntervalSet.of(MONDAY, MONDAY + 7 * DAY);
        // The same samples; in the first record later days follow, so the week is complete and summarized.
        // In the second the week's Sunday is the newest day: six day summaries and Sunday's buckets answer.
        LatencyView fromWeek = filled(new SplittableRandom(5), MONDAY - 3 * DAY, MONDAY + 12 * DAY, 30_000).view(week);
        LatencyView fromDays = filled(new SplittableRandom(5), MONDAY - 3 * DAY, MONDAY + 7 * DAY, 30_000).view(week);

        assertThat(fromDays.samples()).isEqualTo(fromWeek.samples()).isEqualTo(7 * 2_880);
        assertThat(fromDays.successes()).isEqualTo(fromWeek.successes());
        for (double p : new double[] {0, 50, 90, 99, 99.9, 100}) {
            assertThat(fromDays.percentileMicros(p)).isEqualTo(fromWeek.percentileMicros(p));
        }
        assertThat(fromDays.successesAtOrBelow(20_000)).isEqualTo(fromWeek.successesAtOrBelow(20_000));
    }

    @Test
    void severalChecksTogetherAnswerLikeOneHoldingAllTheirSamples() {
        SplittableRandom random = new SplittableRandom(8);
        CheckLatency all = new CheckLatency();
        CheckLatency[] locations = {new CheckLatency(), new CheckLatency(), new CheckLatency()};
        for (long t = MONDAY; t < MONDAY + 9 * DAY; t += 20_000) {
            long micros = (long) (30_000 * Math.exp(0.6 * BucketCodecTest.gaussian(random)));
            all.recordSuccess(t, micros);
            locations[random.nextInt(locations.length)].recordSuccess(t, micros);
        }
        IntervalSet agreed = IntervalSet.of(MONDAY + 3 * QUARTER_HOUR, MONDAY + 8 * DAY - 1);

        LatencyView merged = CheckLatency.view(Arrays.asList(locations), agreed);
        LatencyView expected = all.view(agreed);

        assertThat(merged.samples()).isEqualTo(expected.samples());
        for (double p : new double[] {0, 50, 99, 99.99, 100}) {
            assertThat(merged.percentileMicros(p)).isEqualTo(expected.percentileMicros(p));
        }
        assertThat(merged.successesAtOrBelow(40_000)).isEqualTo(expected.successesAtOrBelow(40_000));
    }

    @Test
    void samplesForForgottenBucketsAreIgnoredAndCounted() {
        CheckLatency latency = new CheckLatency();
        latency.recordSuccess(MONDAY, 1_000);
        latency.recordSuccess(MONDAY + QUARTER_HOUR, 2_000);
        latency.recordSuccess(MONDAY + 2 * QUARTER_HOUR, 3_000);

        latency.forgetBefore(MONDAY + 1);

        assertThat(latency.horizonEpochMillis()).isEqualTo(MONDAY + QUARTER_HOUR);
        assertThat(latency.view(ALL_TIME).samples()).isEqualTo(2);
        assertThat(latency.recordSuccess(MONDAY + QUARTER_HOUR - 1, 4_000)).isFalse();
        assertThat(latency.recordFailure(MONDAY - DAY)).isFalse();
        assertThat(latency.recordSuccess(MONDAY + QUARTER_HOUR, 4_000)).isTrue();
        assertThat(latency.ignoredSamples()).isEqualTo(2);
        assertThat(latency.view(ALL_TIME).samples()).isEqualTo(3);

        latency.forgetBefore(MONDAY - DAY);
        assertThat(latency.horizonEpochMillis()).isEqualTo(MONDAY + QUARTER_HOUR);
    }

    @Test
    void forgettingInsideADayKeepsItsLaterBucketsAndItsSummaryAgrees() {
        CheckLatency latency = filled(new SplittableRandom(9), MONDAY, MONDAY + 10 * DAY, 60_000);
        long cut = MONDAY + 2 * DAY + 37 * QUARTER_HOUR;
        LatencyView rest = latency.view(IntervalSet.of(cut, MONDAY + 3 * DAY));

        latency.forgetBefore(cut - 1);

        LatencyView wholeDay = latency.view(IntervalSet.of(MONDAY + 2 * DAY, MONDAY + 3 * DAY));
        assertThat(wholeDay.samples()).isEqualTo(rest.samples()).isEqualTo((96 - 37) * 15);
        assertThat(wholeDay.percentileMicros(99)).isEqualTo(rest.percentileMicros(99));
        assertThat(latency.view(IntervalSet.of(MONDAY, cut - QUARTER_HOUR)).samples()).isZero();
        assertThat(latency.view(ALL_TIME).samples()).isEqualTo(10 * 1_440 - 2 * 1_440 - 37 * 15);
    }

    @Test
    void aRecordWrittenAndReadBackAnswersAlikeAndWritesTheSameBytes() throws IOException {
        CheckLatency latency = filled(new SplittableRandom(3), MONDAY, MONDAY + 9 * DAY + 5_000_000, 30_000);
        latency.forgetBefore(MONDAY + DAY / 3);
        latency.recordSuccess(MONDAY, 1);
        latency.recordSuccess(MONDAY + 9 * DAY, 12_345);
        byte[] written = CheckLatencyOracleTest.write(latency);

        CheckLatency read = read(written);

        assertThat(CheckLatencyOracleTest.write(read)).isEqualTo(written);
        assertThat(read.ignoredSamples()).isEqualTo(1);
        assertThat(read.horizonEpochMillis()).isEqualTo(latency.horizonEpochMillis());
        for (IntervalSet agreed : new IntervalSet[] {ALL_TIME, IntervalSet.of(MONDAY, MONDAY + 7 * DAY),
                IntervalSet.of(MONDAY + DAY + 1_234_567, MONDAY + 4 * DAY - 7_654_321)}) {
            LatencyView expected = latency.view(agreed);
            LatencyView actual = read.view(agreed);
            assertThat(actual.samples()).isEqualTo(expected.samples());
            assertThat(actual.successesAtOrBelow(25_000)).isEqualTo(expected.successesAtOrBelow(25_000));
            assertThat(actual.percentileMicros(99.9)).isEqualTo(expected.percentileMicros(99.9));
        }
    }

    @Test
    void readingRejectsAnUnknownFormatAShortInputAndACorruptBlock() throws IOException {
        CheckLatency latency = filled(new SplittableRandom(4), MONDAY, MONDAY + 2 * DAY + 1, 30_000);
        byte[] written = CheckLatencyOracleTest.write(latency);

        byte[] future = written.clone();
        future[0] = 9;
        assertThatThrownBy(() -> read(future)).isInstanceOf(IOException.class)
                .hasMessage("latency record format 9 is not 1");
        assertThatThrownBy(() -> read(Arrays.copyOf(written, written.length / 2))).isInstanceOf(EOFException.class);

        // The first day's summary starts after version, horizon, ignored, first day, day count, length.
        byte[] corrupt = written.clone();
        int summary = 1 + 8 + 8 + 8 + 4 + 4;
        corrupt[summary] ^= 0x7E;
        assertThatThrownBy(() -> read(corrupt)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("latency record day " + MONDAY / DAY + ": corrupt latency block");
    }

    @Test
    void percentilesAndThresholdsOutsideTheirRangeAreRefused() {
        CheckLatency latency = new CheckLatency();
        latency.recordSuccess(MONDAY, 10);
        LatencyView view = latency.view(ALL_TIME);

        assertThatThrownBy(() -> view.percentileMicros(100.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentile must be within 0..100 (was 100.5)");
        assertThatThrownBy(() -> view.percentileMicros(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> view.successesAtOrBelow(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("thresholdMicros must be >= 0 (was -1)");
        assertThat(latency.view(IntervalSet.EMPTY).percentileMicros(50)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void lateSamplesWaitApartAndAreFoldedInWhenANewDayBegins() {
        CheckLatency latency = filled(new SplittableRandom(10), MONDAY, MONDAY + 10 * DAY, 60_000);
        CheckLatency withoutLate = filled(new SplittableRandom(10), MONDAY, MONDAY + 10 * DAY, 60_000);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 500; i++) {
            latency.recordSuccess(MONDAY + random.nextLong(9 * DAY), 20_000);
        }
        long waiting = latency.retainedBytes() - withoutLate.retainedBytes();
        LatencyView withLate = latency.view(ALL_TIME);
        // Two batches of pending samples: the second fold is the one that brings in the new day.
        for (long t = MONDAY + 10 * DAY; t < MONDAY + 10 * DAY + 2 * 65 * 60_000; t += 60_000) {
            latency.recordSuccess(t, 20_000);
            withoutLate.recordSuccess(t, 20_000);
        }
        long folded = latency.retainedBytes() - withoutLate.retainedBytes();

        // 500 late samples wait as 8-byte entries; folded in, they take a few bytes each.
        assertThat(waiting).isGreaterThanOrEqualTo(500 * 8);
        assertThat(folded).isLessThan(500 * 6);
        assertThat(withLate.samples()).isEqualTo(10 * 1_440 + 500);
        assertThat(latency.view(ALL_TIME).samples()).isEqualTo(10 * 1_440 + 500 + 130);
    }

    @Test
    void realisticLatenciesTakeLessThanTwoBytesPerSample() {
        CheckLatency latency = filled(new SplittableRandom(6), MONDAY, MONDAY + 14 * DAY, 30_000);
        long samples = latency.view(ALL_TIME).samples();

        assertThat(samples).isEqualTo(14 * 2_880);
        assertThat((double) latency.retainedBytes() / samples).isLessThan(2.0);
    }

    /** Samples every {@code intervalMillis}: lognormal around 20 ms, 1 % ten times slower, 0.5 % failed. */
    private static CheckLatency filled(SplittableRandom random, long fromMillis, long toMillis, long intervalMillis) {
        CheckLatency latency = new CheckLatency();
        for (long t = fromMillis; t < toMillis; t += intervalMillis) {
            if (random.nextInt(200) == 0) {
                latency.recordFailure(t);
                continue;
            }
            double micros = 20_000 * Math.exp(0.5 * BucketCodecTest.gaussian(random));
            latency.recordSuccess(t, (long) (random.nextInt(100) == 0 ? 10 * micros : micros));
        }
        return latency;
    }

    private static CheckLatency read(byte[] bytes) throws IOException {
        return CheckLatency.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
