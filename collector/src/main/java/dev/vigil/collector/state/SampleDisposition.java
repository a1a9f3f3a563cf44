package dev.vigil.collector.state;

import java.util.Locale;

/**
 * What the {@link CheckBoard} did with a sample: applied it to its check, or kept it out of the
 * check's state, figures and incidents and why. A sample kept out is still in the journal and acked;
 * only its effect is withheld, and a replay withholds it again because the decision depends only on
 * the journal entry and the samples applied before it.
 */
public enum SampleDisposition {
    /** Applied: it changed the check's state, figures and incidents. */
    APPLIED,
    /**
     * Scheduled at or before the last sample applied to the same check (the agent's clock stepped
     * back, or two hosts share one agent's token). Applying it would make time run backwards inside an
     * outage.
     */
    OUT_OF_ORDER,
    /** Scheduled more than {@link CheckBoard#MAX_AHEAD} after the collector received it. */
    FUTURE,
    /** Scheduled more than {@link CheckBoard#MAX_AGE} before the collector received it. */
    TOO_OLD,
    /**
     * A run the agent skipped ({@link dev.vigil.protocol.Outcome#SKIPPED}): it measured nothing, so it
     * neither opens nor closes an outage and is not part of availability; it is counted so that gaps
     * in a check's samples have a recorded cause.
     */
    SKIPPED_RUN;

    /** Whether the sample was applied. */
    public boolean applied() {
        return this == APPLIED;
    }

    /** The metric label value, e.g. {@code out_of_order}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
