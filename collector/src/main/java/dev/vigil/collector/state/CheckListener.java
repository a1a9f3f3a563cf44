package dev.vigil.collector.state;

/** Something that follows every sample the {@link CheckBoard} applies: SLA figures, incidents. */
@FunctionalInterface
public interface CheckListener {
    /** Called once per applied sample, on the thread that applied it, after the state changed. */
    void onSample(AppliedSample applied);
}
