package dev.vigil.agent.schedule;

import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, for one check, whether the evidence a failed run captured travels with its sample: it does
 * when the failure is news. That is when the check's previous run succeeded (or there was none), when
 * the outcome or the status code differs from those of the last evidence sent, or when the last
 * evidence is older than {@code every}. Otherwise the sample goes without it, so a check failing the
 * same way every 10 seconds does not fill the journal with the same evidence.
 *
 * <p>Ages are measured between scheduled times, so the rule follows the check's own slots. Confined to
 * the check's event loop, like the rest of its schedule.
 */
public final class EvidenceGate {
    private final long everyMillis;
    private boolean previousSucceeded = true;
    private boolean sentAny;
    private Outcome lastOutcome;
    private int lastStatusCode;
    private long lastSentEpochMillis;

    /** A gate letting the same failure's evidence through again once the last is {@code every} old (> 0). */
    public EvidenceGate(Duration every) {
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be > 0 (was " + every + ")");
        }
        this.everyMillis = every.toMillis();
    }

    /** {@code sample}, the check's next one, as it should be journaled: with its evidence or without. */
    public Sample admit(Sample sample) {
        boolean succeeded = sample.outcome().isSuccess();
        boolean afterSuccess = previousSucceeded;
        if (sample.outcome().isMeasurement()) {
            previousSucceeded = succeeded;
        }
        Optional<Evidence> evidence = sample.evidence();
        if (evidence.isEmpty()) {
            return sample;
        }
        boolean news = afterSuccess || !sentAny
                || sample.outcome() != lastOutcome
                || sample.statusCode() != lastStatusCode
                || sample.scheduledEpochMillis() - lastSentEpochMillis >= everyMillis;
        if (!news) {
            return withoutEvidence(sample);
        }
        sentAny = true;
        lastOutcome = sample.outcome();
        lastStatusCode = sample.statusCode();
        lastSentEpochMillis = sample.scheduledEpochMillis();
        return sample;
    }

    private static Sample withoutEvidence(Sample sample) {
        return new Sample(sample.checkId(), sample.scheduledEpochMillis(), sample.startLagNanos(), sample.outcome(),
                sample.dnsNanos(), sample.connectNanos(), sample.tlsNanos(), sample.firstByteNanos(),
                sample.totalNanos(), sample.statusCode(), sample.detail());
    }
}
