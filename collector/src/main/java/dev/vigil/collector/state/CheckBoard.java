package dev.vigil.collector.state;

import dev.vigil.protocol.Sample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every check the collector has heard of, keyed by (agent, check id), each with its state machine.
 * Applies samples in the order given and tells its listeners about each one. Not thread-safe.
 */
public final class CheckBoard {
    private final Thresholds thresholds;
    private final List<CheckListener> listeners;
    private final Map<CheckKey, CheckStatus> checks = new TreeMap<>();

    /**
     * A board with no checks yet.
     *
     * @param thresholds the hysteresis every check uses
     * @param listeners  told about every applied sample, in this order
     */
    public CheckBoard(Thresholds thresholds, List<CheckListener> listeners) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Applies one sample of {@code agent}'s.
     *
     * @param receivedEpochMillis when the collector received the sample, from its journal entry
     * @param journalIndex        the index of the sample's entry in the collector's journal
     * @return the sample as applied, with the state change it caused
     */
    public AppliedSample apply(String agent, Sample sample, long receivedEpochMillis, long journalIndex) {
        CheckKey key = new CheckKey(agent, sample.checkId());
        CheckStatus status = checks.computeIfAbsent(key, k -> new CheckStatus(k, thresholds));
        Optional<Transition> transition = status.apply(sample);
        AppliedSample applied = new AppliedSample(key, sample, receivedEpochMillis, journalIndex, transition);
        for (CheckListener listener : listeners) {
            listener.onSample(applied);
        }
        return applied;
    }

    /** Every check, ordered by agent then check id. */
    public Collection<CheckStatus> checks() {
        return new ArrayList<>(checks.values());
    }

    /** The check with {@code key}, if it has reported. */
    public Optional<CheckStatus> check(CheckKey key) {
        return Optional.ofNullable(checks.get(key));
    }
}
