package dev.vigil.agent.journal;

import dev.vigil.protocol.GapReason;
import java.util.Locale;

/**
 * Why the agent lost samples it took, the {@code reason} label of
 * {@code vigil_agent_samples_dropped_total}: the {@link GapReason}s, which are also reported to the
 * collector, and the journal thread's full queue, reported to the collector as
 * {@link GapReason#NOT_JOURNALED}.
 */
public enum LossReason {
    /** The journal thread was behind and its queue full: the sample never reached the journal. */
    JOURNAL_QUEUE_FULL,
    /** No room on the disk within the budget, or the append failed. */
    NOT_JOURNALED,
    /** Journaled, then deleted unacknowledged to keep the disk budget. */
    DISK_BUDGET,
    /** Journaled, but the excerpt could not be read back as a sample. */
    UNREADABLE,
    /** Refused by the collector as malformed even on its own (dead-lettered). */
    MALFORMED;

    /** The loss reason for gap reason {@code reason}. */
    public static LossReason of(GapReason reason) {
        return switch (reason) {
            case DISK_BUDGET -> DISK_BUDGET;
            case NOT_JOURNALED -> NOT_JOURNALED;
            case UNREADABLE -> UNREADABLE;
            case MALFORMED -> MALFORMED;
        };
    }

    /** The metric label value, e.g. {@code journal_queue_full}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
