package dev.vigil.agent.probe;

import dev.vigil.agent.config.EvidenceSettings;
import java.util.Objects;

/**
 * How one check's probe captures failure evidence: whether at all, how many body bytes, and the
 * redactor that knows the check's own secrets. Shared by every run of the probe.
 *
 * @param enabled   whether failed runs capture evidence
 * @param bodyBytes the body bytes kept, 0 to 2048
 * @param redactor  takes the check's secrets out before the evidence leaves the run
 */
record EvidenceCapture(boolean enabled, int bodyBytes, EvidenceRedactor redactor) {
    /** No evidence: what probes built without a factory's settings use. */
    static final EvidenceCapture DISABLED = new EvidenceCapture(false, 0, EvidenceRedactor.NONE);

    EvidenceCapture {
        Objects.requireNonNull(redactor, "redactor");
        if (bodyBytes < 0 || bodyBytes > EvidenceSettings.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("bodyBytes must be between 0 and " + EvidenceSettings.MAX_BODY_BYTES
                    + " (was " + bodyBytes + ")");
        }
    }

    /** A new recorder for one run. */
    EvidenceRecorder recorder() {
        return new EvidenceRecorder(this);
    }
}
