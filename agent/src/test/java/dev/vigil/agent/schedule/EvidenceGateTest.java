package dev.vigil.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceGateTest {
    private static final long MINUTE = 60_000;
    private static final Evidence SEEN = Evidence.bounded("127.0.0.1:8080", "HTTP/1.1 503 Service Unavailable",
            List.of(), "down", false, List.of(), List.of(), "status 503 not in [200-299]");

    private final EvidenceGate gate = new EvidenceGate(Duration.ofMinutes(5));

    private static Sample failed(long atMillis, Outcome outcome, int status) {
        return new Sample("web", atMillis, 0, outcome, -1, 1_000, -1, 2_000, 3_000, status, "failed")
                .withEvidence(SEEN);
    }

    private static Sample ok(long atMillis) {
        return new Sample("web", atMillis, 0, Outcome.OK, -1, 1_000, -1, 2_000, 3_000, 200, "");
    }

    private boolean keeps(Sample sample) {
        Sample admitted = gate.admit(sample);
        assertThat(admitted.withEvidence(SEEN)).as("only the evidence may change").isEqualTo(sample.withEvidence(SEEN));
        return admitted.evidence().isPresent();
    }

    @Test
    void theFirstFailureOfACheckCarriesItsEvidence() {
        assertThat(keeps(failed(0, Outcome.STATUS_MISMATCH, 503))).isTrue();
    }

    @Test
    void aRepeatOfTheSameFailureGoesWithoutEvidenceUntilTheLastIsEveryOld() {
        assertThat(keeps(failed(0, Outcome.STATUS_MISMATCH, 503))).isTrue();
        assertThat(keeps(failed(MINUTE, Outcome.STATUS_MISMATCH, 503))).isFalse();
        assertThat(keeps(failed(5 * MINUTE - 1, Outcome.STATUS_MISMATCH, 503))).isFalse();
        assertThat(keeps(failed(5 * MINUTE, Outcome.STATUS_MISMATCH, 503))).as("5 minutes after the last").isTrue();
        assertThat(keeps(failed(6 * MINUTE, Outcome.STATUS_MISMATCH, 503))).isFalse();
        assertThat(keeps(failed(10 * MINUTE, Outcome.STATUS_MISMATCH, 503))).isTrue();
    }

    @Test
    void aFailureAfterASuccessCarriesItsEvidenceAgain() {
        assertThat(keeps(failed(0, Outcome.STATUS_MISMATCH, 503))).isTrue();
        assertThat(keeps(ok(MINUTE))).isFalse();
        assertThat(keeps(failed(2 * MINUTE, Outcome.STATUS_MISMATCH, 503))).isTrue();
    }

    @Test
    void aChangedOutcomeOrStatusCodeCarriesItsEvidence() {
        assertThat(keeps(failed(0, Outcome.STATUS_MISMATCH, 503))).isTrue();
        assertThat(keeps(failed(MINUTE, Outcome.STATUS_MISMATCH, 502))).as("status 503 -> 502").isTrue();
        assertThat(keeps(failed(2 * MINUTE, Outcome.STATUS_MISMATCH, 502))).isFalse();
        assertThat(keeps(failed(3 * MINUTE, Outcome.TIMEOUT, 502))).as("outcome changed").isTrue();
        assertThat(keeps(failed(4 * MINUTE, Outcome.TIMEOUT, 502))).isFalse();
    }

    @Test
    void aSkippedSlotDoesNotCountAsASuccess() {
        assertThat(keeps(failed(0, Outcome.CONNECT_REFUSED, 0))).isTrue();
        Sample skipped = new Sample("web", MINUTE, 0, Outcome.SKIPPED, -1, -1, -1, -1, 0, 0, "run skipped");
        assertThat(gate.admit(skipped)).isEqualTo(skipped);
        assertThat(keeps(failed(2 * MINUTE, Outcome.CONNECT_REFUSED, 0))).isFalse();
    }

    @Test
    void rejectsAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> new EvidenceGate(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every must be > 0 (was PT0S)");
    }
}
