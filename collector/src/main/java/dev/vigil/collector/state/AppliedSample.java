package dev.vigil.collector.state;

import dev.vigil.protocol.Sample;
import java.util.Objects;
import java.util.Optional;

/**
 * A sample as the board applied it: to which check, when the collector received it, where it sits in
 * the collector's journal, and the state change it caused.
 *
 * @param key                 the check
 * @param sample              the sample
 * @param receivedEpochMillis when the collector received it, from the journal entry (so a replay sees
 *                            the same value)
 * @param journalIndex        the index of its entry in the collector's journal
 * @param transition          the state change this sample caused, if any
 */
public record AppliedSample(
        CheckKey key, Sample sample, long receivedEpochMillis, long journalIndex, Optional<Transition> transition) {

    /** Validates presence. */
    public AppliedSample {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(transition, "transition");
    }
}
