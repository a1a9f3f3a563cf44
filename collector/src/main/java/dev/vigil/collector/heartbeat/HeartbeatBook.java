package dev.vigil.collector.heartbeat;

import dev.vigil.collector.config.HeartbeatConfig;
import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the applied samples say about each configured heartbeat check: the last sample, whether it was
 * a missed deadline, and the last heartbeat actually received. Follows the check board, live and during
 * the replay alike, so after a restart it holds exactly what it held before. Not thread-safe: the
 * board's thread.
 */
public final class HeartbeatBook implements CheckListener {
    /** The outcome of a missed deadline; a reported heartbeat is {@code OK} or {@code ASSERTION_FAILED}. */
    static final Outcome MISSED = Outcome.TIMEOUT;

    /**
     * The last sample of one heartbeat check.
     *
     * @param lastEpochMillis  the scheduled time of its last sample
     * @param lastWasMissed    whether that sample was a missed deadline the collector made
     * @param heardEpochMillis when the last reported heartbeat was scheduled, if the journal still holds it
     */
    record Last(long lastEpochMillis, boolean lastWasMissed, OptionalLong heardEpochMillis) {
    }

    private final Set<String> ids;
    private final Map<String, Last> byId = new HashMap<>();

    /** A book following the heartbeats in {@code heartbeats}; samples of other ids are ignored. */
    public HeartbeatBook(List<HeartbeatConfig> heartbeats) {
        this.ids = heartbeats.stream().map(HeartbeatConfig::id).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void onSample(AppliedSample applied) {
        if (!applied.key().agent().equals(HeartbeatConfig.AGENT) || !ids.contains(applied.key().check())) {
            return;
        }
        Sample sample = applied.sample();
        Last previous = byId.get(applied.key().check());
        boolean missed = sample.outcome() == MISSED;
        OptionalLong heard = missed
                ? previous == null ? OptionalLong.empty() : previous.heardEpochMillis()
                : OptionalLong.of(sample.scheduledEpochMillis());
        byId.put(applied.key().check(), new Last(sample.scheduledEpochMillis(), missed, heard));
    }

    /** The last sample of heartbeat {@code id}; empty before its first heartbeat. */
    Optional<Last> last(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
