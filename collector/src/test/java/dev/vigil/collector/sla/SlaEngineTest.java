package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlaEngineTest {
    static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    static final CheckKey KEY = new CheckKey("agent-1", "web");

    private final ManualClock clock = new ManualClock(T0);
    private final SlaEngine engine = new SlaEngine(clock);
    private final CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));

    /**
     * One sample every 10 s from T0 (S success, F failure), 2 failures to open, 2 successes to close,
     * figures of the last hour read {@code nowSeconds} after T0.
     */
    @ParameterizedTest(name = "{0} at +{1}s")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        SSSSSS      | 60   | 1.0                | 60   | 0  | 0 | -  | 6
        SSFFFSSS    | 80   | 0.625              | 80   | 30 | 1 | 30 | 8
        SSFF        | 60   | 0.3333333333333333 | 60   | 40 | 1 | -  | 4
        SSFSS       | 50   | 1.0                | 50   | 0  | 0 | -  | 5
        FFSS        | 40   | 0.5                | 40   | 20 | 1 | 20 | 4
        SFSF        | 40   | 1.0                | 40   | 0  | 0 | -  | 4
        SSFFSSFFSS  | 100  | 0.6                | 100  | 40 | 2 | 20 | 10
        SS          | 7200 | 1.0                | 3600 | 0  | 0 | -  | 0
        """)
    void computesTheLastHoursFiguresFromTheOutages(String samples, long nowSeconds, Double availability,
            long observedSeconds, long downtimeSeconds, int outages, Long mttrSeconds, long sampleCount) {
        for (int i = 0; i < samples.length(); i++) {
            board.apply("agent-1", sample(T0 + i * 10_000L, samples.charAt(i) == 'S', 1_000_000), T0, i);
        }
        clock.set(T0 + nowSeconds * 1000);

        WindowFigures hour = engine.figures(KEY, Window.HOUR).orElseThrow();

        assertThat(hour.availability().getAsDouble()).isCloseTo(availability, within(1e-12));
        assertThat(hour.observedMillis()).isEqualTo(observedSeconds * 1000);
        assertThat(hour.downtimeMillis()).isEqualTo(downtimeSeconds * 1000);
        assertThat(hour.outages()).isEqualTo(outages);
        if (mttrSeconds == null) {
            assertThat(hour.mttrMillis()).isEmpty();
        } else {
            assertThat(hour.mttrMillis().getAsDouble()).isEqualTo(mttrSeconds * 1000.0);
        }
        assertThat(hour.samples()).isEqualTo(sampleCount);
    }

    @Test
    void countsOnlyThePartOfAnOutageInsideEachWindow() {
        // Down from +10 min to +70 min, one sample a minute; read at +90 min.
        for (int minute = 0; minute <= 90; minute++) {
            boolean up = minute < 10 || minute >= 70;
            board.apply("agent-1", sample(T0 + minute * 60_000L, up, 1_000_000), T0 + minute * 60_000L, minute);
        }
        clock.set(T0 + 90 * 60_000L);

        WindowFigures hour = engine.figures(KEY, Window.HOUR).orElseThrow();
        WindowFigures day = engine.figures(KEY, Window.DAY).orElseThrow();

        assertThat(hour.downtimeMillis()).isEqualTo(40 * 60_000L);
        assertThat(hour.availability().getAsDouble()).isCloseTo(1 - 40.0 / 60, within(1e-12));
        assertThat(hour.outages()).isEqualTo(1);
        assertThat(hour.mttrMillis().getAsDouble()).isEqualTo(60 * 60_000.0);
        assertThat(day.observedMillis()).isEqualTo(90 * 60_000L);
        assertThat(day.downtimeMillis()).isEqualTo(60 * 60_000L);
        assertThat(day.availability().getAsDouble()).isCloseTo(1 - 60.0 / 90, within(1e-12));
    }

    @Test
    void knowsNothingBeforeTheFirstSample() {
        board.apply("agent-1", sample(T0 + 60_000, true, 1_000_000), T0, 0);
        clock.set(T0);

        WindowFigures hour = engine.figures(KEY, Window.HOUR).orElseThrow();

        assertThat(hour.observedMillis()).isZero();
        assertThat(hour.availability()).isEmpty();
        assertThat(engine.figures(new CheckKey("agent-1", "other"), Window.HOUR)).isEmpty();
    }

    @Test
    void reportsLatencyPercentilesOfSuccessfulSamplesOnly() {
        for (int i = 1; i <= 100; i++) {
            board.apply("agent-1", sample(T0 + i * 100L, true, i * 1_000_000L), T0, i);
        }
        board.apply("agent-1", sample(T0 + 20_000, false, 3_600_000_000_000L), T0, 101);
        clock.set(T0 + 30_000);

        LatencyPercentiles latency = engine.figures(KEY, Window.HOUR).orElseThrow().latency().orElseThrow();

        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50Micros()).isBetween(50_000L, 50_050L);
        assertThat(latency.p95Micros()).isBetween(95_000L, 95_100L);
        assertThat(latency.p99Micros()).isBetween(99_000L, 99_100L);
    }

    @Test
    void dropsLatencyBucketsThatLeftTheWindow() {
        board.apply("agent-1", sample(T0, true, 5_000_000), T0, 0);
        board.apply("agent-1", sample(T0 + 90 * 60_000L, true, 7_000_000), T0 + 90 * 60_000L, 1);
        clock.set(T0 + 90 * 60_000L);

        WindowFigures hour = engine.figures(KEY, Window.HOUR).orElseThrow();
        WindowFigures day = engine.figures(KEY, Window.DAY).orElseThrow();

        assertThat(hour.samples()).isEqualTo(1);
        assertThat(hour.latency().orElseThrow().p50Micros()).isBetween(7_000L, 7_007L);
        assertThat(day.samples()).isEqualTo(2);
        assertThat(day.latency().orElseThrow().p50Micros()).isBetween(5_000L, 5_005L);
    }

    @Test
    void keepsAnOutageOpenWhenTheAgentClockStepsBackBeforeItsStart() {
        for (int i = 0; i < 4; i++) {
            board.apply("agent-1", sample(T0 + i * 10_000L, i < 2, 1_000_000), T0 + i * 10_000L, i);
        }
        // Two successes stamped before the outage began: applied, they would end it before it started.
        board.apply("agent-1", sample(T0 + 5_000, true, 1_000_000), T0 + 40_000, 4);
        board.apply("agent-1", sample(T0 + 15_000, true, 1_000_000), T0 + 50_000, 5);
        clock.set(T0 + 60_000);

        WindowFigures hour = engine.figures(KEY, Window.HOUR).orElseThrow();

        assertThat(engine.outages(KEY)).extracting(Outage::ended).containsExactly(false);
        assertThat(hour.downtimeMillis()).isEqualTo(40_000);
        assertThat(hour.samples()).isEqualTo(4);
    }

    static Sample sample(long scheduledEpochMillis, boolean success, long totalNanos) {
        return new Sample("web", scheduledEpochMillis, 0, success ? Outcome.OK : Outcome.STATUS_MISMATCH,
                -1, 100_000, -1, totalNanos / 2, totalNanos, success ? 200 : 503, success ? "" : "HTTP 503");
    }
}
