package dev.vigil.agent.journal;

/** Hears about samples the agent lost, for metrics. Must not block; called on the thread that lost them. */
@FunctionalInterface
public interface LossListener {
    /** A listener that ignores everything. */
    LossListener NONE = (reason, samples) -> {
    };

    /** {@code samples} (≥ 1) samples were lost for {@code reason}; each is counted exactly once. */
    void lost(LossReason reason, long samples);
}
