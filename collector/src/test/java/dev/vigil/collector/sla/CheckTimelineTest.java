package dev.vigil.collector.sla;

import static dev.vigil.collector.sla.SampleScript.MINUTE;
import static dev.vigil.collector.sla.SampleScript.minute;
import static dev.vigil.collector.sla.SampleScript.minutes;
import static dev.vigil.collector.sla.SampleScript.thresholds;
import static dev.vigil.collector.sla.SampleScript.timeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.state.Thresholds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckTimelineTest {

    @ParameterizedTest(name = "{0} with {1}, no data after {2} min, at {3}: down [{4}], no data [{5}]")
    @CsvSource(delimiter = '|', textBlock = """
            # samples, one per minute     | f/s | no data after | now | down            | no data
            ++xx++                        | 2/2 | 5             | 6   | 2-4             |
            ++x++                         | 2/2 | 5             | 5   |                 |
            xx                            | 2/2 | 5             | 3   | 0-3             |
            +xxx+                         | 3/1 | 5             | 5   | 1-4             |
            +xx+                          | 3/1 | 5             | 4   |                 |
            xx+x++                        | 2/2 | 5             | 6   | 0-4             |
            xx+x+                         | 2/2 | 5             | 5   | 0-5             |
            x                             | 1/1 | 5             | 2   | 0-2             |
            ...++                         | 2/2 | 5             | 5   |                 | 0-3
            ++                            | 2/2 | 3             | 10  |                 | 4-10
            +..+                          | 2/2 | 3             | 4   |                 |
            +...+                         | 2/2 | 3             | 5   |                 | 3-4
            xx.......xx++                 | 2/2 | 3             | 13  | 0-4 9-11        | 4-9
            x....x+                       | 2/2 | 2             | 7   | 0-2 5-7         | 2-5
            ++x...x++                     | 2/2 | 2             | 9   | 2-4 6-7         | 4-6
            """)
    void hysteresisAndSilenceMakeTheStates(String samples, String thresholds, long noDataAfterMinutes, double now,
                                           String down, String noData) {
        CheckTimeline timeline = timeline(samples, thresholds(thresholds), noDataAfterMinutes, 0);
        TimelineSlice slice = timeline.slice(minute(-60), minute(1_000), minute(now));
        assertThat(slice.down()).as("down").isEqualTo(minutes(down));
        assertThat(slice.noData()).as("no data").isEqualTo(minutes(noData).union(IntervalSet.of(minute(-60), minute(0))));
        assertThat(timeline.slice(minute(1), minute(3), minute(now)).down()).isEqualTo(minutes(down).clip(minute(1), minute(3)));
    }

    @Test
    void anOutageInterruptedBySilenceIsOneOutageDetectedWhenItsConfirmingSampleArrived() {
        CheckTimeline timeline = timeline("++xx.......xx++", Thresholds.DEFAULT, 3, 30_000);
        assertThat(timeline.outages(minute(0), minute(20), minute(20)))
                .containsExactly(new OutageRecord(minute(2), OptionalLong.of(minute(13)), minute(3.5)));
        assertThat(timeline.noData(minute(0), minute(20), minute(20))).isEqualTo(minutes("6-11 17-20"));
    }

    @Test
    void anOutageStillDownAtNowIsOngoingAndSilenceAfterItKeepsItOpen() {
        CheckTimeline timeline = timeline("++xxx", Thresholds.DEFAULT, 5, 0);
        assertThat(timeline.outages(minute(0), minute(30), minute(30)))
                .containsExactly(new OutageRecord(minute(2), OptionalLong.empty(), minute(3)));
        assertThat(timeline.down(minute(0), minute(30), minute(30))).isEqualTo(minutes("2-9"));
    }

    @Test
    void outagesAreThoseOverlappingTheRangeWithTheirFullExtent() {
        CheckTimeline timeline = timeline("xx++++xx++++xx++");
        assertThat(timeline.outages(minute(1), minute(7), minute(16)))
                .extracting(OutageRecord::startEpochMillis)
                .containsExactly(minute(0), minute(6));
        assertThat(timeline.outages(minute(2), minute(6), minute(16))).isEmpty();
    }

    @Test
    void duplicateAndOlderSamplesAreIgnored() {
        CheckTimeline timeline = timeline("++");
        assertThat(timeline.apply(minute(1), false, minute(5))).isFalse();
        assertThat(timeline.apply(minute(0), false, minute(5))).isFalse();
        assertThat(timeline.apply(minute(2), false, minute(5))).isTrue();
        assertThat(timeline.apply(minute(2), false, minute(5))).isFalse();
        assertThat(timeline.apply(minute(3), false, minute(5))).isTrue();
        assertThat(timeline.down(minute(0), minute(5), minute(5))).isEqualTo(minutes("2-5"));
    }

    @ParameterizedTest(name = "{0} at minute {1} is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # samples | now | current state
                      | 0   | UNKNOWN
            +         | 1   | UNKNOWN
            ++        | 2   | UP
            ++x       | 3   | UP
            ++xx      | 4   | DOWN
            ++xx+     | 5   | DOWN
            ++        | 6   | NO_DATA
            ++        | 5.9 | UP
            """)
    void currentStateIsUnknownUntilConfirmedAndNoDataOnceSilent(String samples, double now, TimelineState expected) {
        CheckTimeline timeline = timeline(samples == null ? "" : samples);
        assertThat(timeline.currentState(minute(now))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: flapping at minute {1} with {2} changes in {3} min: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # samples (f/s 1/1)     | now | changes | window (min) | flapping
            x+x+x+                  | 6   | 5       | 60           | true
            x+x+                    | 4   | 5       | 60           | false
            x+x+x+                  | 6   | 3       | 4            | true
            x+x+x+                  | 6   | 4       | 4            | false
            x+x+x+..........        | 16  | 5       | 10           | false
            """)
    void flappingIsManyStateChangesWithinTheWindow(String samples, double now, int changes, long windowMinutes,
                                                   boolean flapping) {
        CheckTimeline timeline = new CheckTimeline(new Thresholds(1, 1), 20 * MINUTE,
                new FlapRule(changes, Duration.ofMinutes(windowMinutes)));
        SampleScript.feed(timeline, samples, 0);
        assertThat(timeline.isFlapping(minute(now))).isEqualTo(flapping);
    }

    @Test
    void theDefaultFlapRuleIsFiveChangesInAnHour() {
        assertThat(FlapRule.DEFAULT).isEqualTo(new FlapRule(5, Duration.ofHours(1)));
        CheckTimeline timeline = timeline("xx++xx++xx++");
        assertThat(timeline.stateChanges(minute(0), minute(12))).isEqualTo(6);
        assertThat(timeline.isFlapping(minute(12))).isTrue();
        assertThat(timeline.isFlapping(minute(70))).isFalse();
    }

    @Test
    void forgettingHistoryKeepsTheOngoingOutageAndEveryLaterFigure() throws IOException {
        String script = "++xx++xx......xx++++x";
        CheckTimeline full = timeline(script, Thresholds.DEFAULT, 3, 10_000);
        CheckTimeline forgetful = timeline(script, Thresholds.DEFAULT, 3, 10_000);
        forgetful.forgetBefore(minute(10));
        long now = minute(25);
        assertThat(forgetful.historyStartMillis()).isEqualTo(minute(6));
        assertThat(forgetful.slice(minute(10), now, now)).isEqualTo(full.slice(minute(10), now, now));
        assertThat(forgetful.outages(minute(10), now, now)).isEqualTo(full.outages(minute(10), now, now));
        assertThat(forgetful.slice(minute(0), now, now).noData()).isEqualTo(minutes("0-6 10-14 23-25"));
        assertThat(roundTrip(forgetful).slice(minute(0), now, now)).isEqualTo(forgetful.slice(minute(0), now, now));
    }

    @Test
    void aRunThatMayStillConfirmKeepsItsStartWhenHistoryIsForgotten() {
        CheckTimeline timeline = timeline("++++x");
        timeline.forgetBefore(minute(10));
        timeline.apply(minute(5), false, minute(5));
        assertThat(timeline.outages(minute(0), minute(6), minute(6)))
                .containsExactly(new OutageRecord(minute(4), OptionalLong.empty(), minute(5)));
    }

    @Test
    void aSnapshotRoundTripsExactlyAndContinuesIdentically() throws IOException {
        long seed = 42;
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            Thresholds thresholds = new Thresholds(1 + random.nextInt(3), 1 + random.nextInt(3));
            CheckTimeline original = new CheckTimeline(thresholds, (1 + random.nextInt(4)) * MINUTE,
                    new FlapRule(2 + random.nextInt(5), Duration.ofMinutes(1 + random.nextInt(60))));
            long t = minute(0);
            int before = random.nextInt(60);
            for (int i = 0; i < before; i++) {
                t += (1 + random.nextInt(4)) * MINUTE / 2;
                original.apply(t, random.nextInt(3) > 0, t + random.nextInt(60_000));
            }
            if (random.nextBoolean()) {
                original.forgetBefore(t - random.nextInt(20) * MINUTE);
            }
            byte[] bytes = bytes(original);
            CheckTimeline restored = read(bytes);
            assertThat(bytes(restored)).as("seed %d round %d", seed, round).isEqualTo(bytes);
            for (int i = 0; i < 30; i++) {
                t += (1 + random.nextInt(4)) * MINUTE / 2;
                boolean success = random.nextInt(3) > 0;
                long received = t + random.nextInt(60_000);
                assertThat(restored.apply(t, success, received)).isEqualTo(original.apply(t, success, received));
            }
            long now = t + random.nextInt(10) * MINUTE;
            assertThat(bytes(restored)).as("seed %d round %d", seed, round).isEqualTo(bytes(original));
            assertThat(restored.slice(minute(-10), now, now)).isEqualTo(original.slice(minute(-10), now, now));
            assertThat(restored.outages(minute(-10), now, now)).isEqualTo(original.outages(minute(-10), now, now));
            assertThat(restored.currentState(now)).isEqualTo(original.currentState(now));
            assertThat(restored.isFlapping(now)).isEqualTo(original.isFlapping(now));
        }
    }

    @Test
    void aTruncatedSnapshotIsRefused() throws IOException {
        byte[] bytes = bytes(timeline("++xx++"));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(truncated)).isInstanceOf(IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(new byte[] {1, 2, 3, 4}))
                .hasMessageContaining("not a check timeline snapshot");
    }

    @Test
    void aSteadyCheckKeepsOnlyItsChangePoints() throws IOException {
        CheckTimeline timeline = new CheckTimeline(Thresholds.DEFAULT, 30_000);
        long t = minute(0);
        for (int i = 0; i < 100_000; i++) {
            t += 10_000;
            timeline.apply(t, i % 10_000 < 9_990, t);
        }
        assertThat(timeline.outages(minute(0), t, t)).hasSize(10);
        assertThat(bytes(timeline).length).isLessThan(400);
    }

    static CheckTimeline roundTrip(CheckTimeline timeline) throws IOException {
        return read(bytes(timeline));
    }

    static byte[] bytes(CheckTimeline timeline) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            timeline.writeTo(out);
        }
        return buffer.toByteArray();
    }

    static CheckTimeline read(byte[] bytes) throws IOException {
        return CheckTimeline.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

}
