package dev.vigil.collector.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckBoardTest {
    private static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final CheckKey WEB = new CheckKey("agent-1", "web");

    private final List<AppliedSample> seen = new ArrayList<>();
    private final CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(seen::add));

    @Test
    void appliesASampleOnlyWhenItIsScheduledAfterTheLastOneAppliedToItsCheck() {
        assertThat(board.apply("agent-1", sample("web", T0, true), T0, 0)).isEqualTo(SampleDisposition.APPLIED);
        assertThat(board.apply("agent-1", sample("web", T0, false), T0, 1)).isEqualTo(SampleDisposition.OUT_OF_ORDER);
        assertThat(board.apply("agent-1", sample("web", T0 - 1, false), T0, 2))
                .isEqualTo(SampleDisposition.OUT_OF_ORDER);
        // Another check, and the same check id of another agent, have their own order.
        assertThat(board.apply("agent-1", sample("api", T0 - 1, true), T0, 3)).isEqualTo(SampleDisposition.APPLIED);
        assertThat(board.apply("agent-2", sample("web", T0 - 1, true), T0, 4)).isEqualTo(SampleDisposition.APPLIED);
        assertThat(board.apply("agent-1", sample("web", T0 + 1, true), T0, 5)).isEqualTo(SampleDisposition.APPLIED);

        assertThat(seen).extracting(AppliedSample::journalIndex).containsExactly(0L, 3L, 4L, 5L);
        CheckStatus web = board.check(WEB).orElseThrow();
        assertThat(web.samples()).isEqualTo(2);
        assertThat(web.samples(Outcome.STATUS_MISMATCH)).isZero();
        assertThat(web.lastSample().scheduledEpochMillis()).isEqualTo(T0 + 1);
    }

    @Test
    void neverEndsAnOutageBeforeItStartedWhenTheAgentClockStepsBack() {
        board.apply("agent-1", sample("web", T0 + 100_000, false), T0 + 100_000, 0);
        board.apply("agent-1", sample("web", T0 + 110_000, false), T0 + 110_000, 1);
        // The agent's clock stepped back a minute: these successes are older than the outage.
        board.apply("agent-1", sample("web", T0 + 50_000, true), T0 + 120_000, 2);
        board.apply("agent-1", sample("web", T0 + 60_000, true), T0 + 130_000, 3);

        assertThat(board.check(WEB).orElseThrow().state()).isEqualTo(CheckState.DOWN);
        assertThat(seen).extracting(applied -> applied.transition().map(Transition::atEpochMillis).orElse(null))
                .containsExactly(null, T0 + 100_000);
    }

    /** A sample {@code offsetMillis} after its receive time (negative: before), and what the board does. */
    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        0                    | APPLIED
        300000               | APPLIED
        300001               | FUTURE
        3600000              | FUTURE
        -3024000000          | APPLIED
        -3024000001          | TOO_OLD
        """)
    void keepsOutSamplesScheduledTooFarFromTheirReceiveTime(long offsetMillis, SampleDisposition expected) {
        SampleDisposition disposition = board.apply("agent-1", sample("web", T0 + offsetMillis, true), T0, 0);

        assertThat(disposition).isEqualTo(expected);
        assertThat(board.check(WEB).isPresent()).isEqualTo(expected.applied());
        assertThat(seen).hasSize(expected.applied() ? 1 : 0);
    }

    @Test
    void keepsOutAbsurdStampsWithoutOverflowing() {
        assertThat(board.apply("agent-1", sample("web", Long.MIN_VALUE, true), T0, 0))
                .isEqualTo(SampleDisposition.TOO_OLD);
        assertThat(board.apply("agent-1", sample("web", Long.MAX_VALUE, true), T0, 1))
                .isEqualTo(SampleDisposition.FUTURE);
        assertThat(board.apply("agent-1", sample("web", Long.MAX_VALUE, true), Long.MAX_VALUE - 1, 2))
                .isEqualTo(SampleDisposition.APPLIED);
        assertThat(board.apply("agent-1", sample("api", Long.MIN_VALUE, true), Long.MIN_VALUE + 1, 3))
                .isEqualTo(SampleDisposition.APPLIED);
        assertThat(SampleDisposition.OUT_OF_ORDER.label()).isEqualTo("out_of_order");
    }

    @Test
    void countsASkippedRunWithoutTouchingTheCheckOrItsOutage() {
        board.apply("agent-1", sample("web", T0, false), T0, 0);
        board.apply("agent-1", sample("web", T0 + 10_000, false), T0 + 10_000, 1);
        CheckState before = board.check(new CheckKey("agent-1", "web")).orElseThrow().state();
        Sample skipped = new Sample("web", T0 + 20_000, 0, Outcome.SKIPPED, -1, -1, -1, -1, 0, 0,
                "run skipped: the previous run was still in progress");

        assertThat(board.apply("agent-1", skipped, T0 + 20_000, 2)).isEqualTo(SampleDisposition.SKIPPED_RUN);
        assertThat(board.apply("agent-1", new Sample("new", T0, 0, Outcome.SKIPPED, -1, -1, -1, -1, 0, 0, ""),
                T0, 3)).isEqualTo(SampleDisposition.SKIPPED_RUN);

        CheckStatus web = board.check(new CheckKey("agent-1", "web")).orElseThrow();
        assertThat(web.state()).isEqualTo(before);
        assertThat(web.samples()).isEqualTo(2);
        assertThat(web.lastSample().scheduledEpochMillis()).isEqualTo(T0 + 10_000);
        assertThat(board.check(new CheckKey("agent-1", "new"))).isEmpty();
        assertThat(SampleDisposition.SKIPPED_RUN.label()).isEqualTo("skipped_run");
    }

    private static Sample sample(String check, long scheduledEpochMillis, boolean success) {
        return new Sample(check, scheduledEpochMillis, 0, success ? Outcome.OK : Outcome.STATUS_MISMATCH,
                -1, -1, -1, -1, 1_000_000, success ? 200 : 503, success ? "" : "HTTP 503");
    }
}
