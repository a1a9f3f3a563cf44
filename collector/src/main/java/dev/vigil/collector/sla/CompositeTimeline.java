package dev.vigil.collector.sla;

import java.util.List;
import java.util.Objects;

/**
 * What a timeline composed of others (a check's locations, a service's checks) knows of its history
 * and retention: the children's, combined. How the children's states combine is the subclass's.
 */
abstract class CompositeTimeline implements StateTimeline {
    private final List<StateTimeline> children;

    CompositeTimeline(List<? extends StateTimeline> children) {
        this.children = List.copyOf(children);
    }

    /** {@code children}, checked to hold at least one timeline. */
    static <T extends StateTimeline> List<T> atLeastOne(List<T> children, String message) {
        Objects.requireNonNull(children, "children");
        if (children.isEmpty()) {
            throw new IllegalArgumentException(message);
        }
        return children;
    }

    /** The timelines this one is composed of, in order. */
    final List<StateTimeline> children() {
        return children;
    }

    @Override
    public long historyStartMillis() {
        long firstStart = Long.MAX_VALUE;
        for (StateTimeline child : children) {
            firstStart = Math.min(firstStart, child.historyStartMillis());
        }
        // before the latest forgotten horizon some child no longer knows its state
        return Math.max(firstStart, forgottenBeforeMillis());
    }

    @Override
    public long forgottenBeforeMillis() {
        long forgotten = Long.MIN_VALUE;
        for (StateTimeline child : children) {
            forgotten = Math.max(forgotten, child.forgottenBeforeMillis());
        }
        return forgotten;
    }

    @Override
    public long pendingSinceMillis() {
        long pending = Long.MAX_VALUE;
        for (StateTimeline child : children) {
            pending = Math.min(pending, child.pendingSinceMillis());
        }
        return pending;
    }

    @Override
    public void forgetBefore(long epochMillis, long nowEpochMillis) {
        long horizon = retentionHorizon(epochMillis, nowEpochMillis);
        for (StateTimeline child : children) {
            child.forgetBefore(horizon, nowEpochMillis);
        }
    }
}
