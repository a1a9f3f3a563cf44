package dev.vigil.collector.state;

import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.protocol.Sample;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every check the collector has heard of, keyed by (agent, check id), each with its state machine.
 * Applies samples in the order given and tells its listeners about each one. Not thread-safe.
 *
 * <p>A sample is applied only if its scheduled time is strictly after that of the last sample applied
 * to its check, at most {@link #MAX_AHEAD} after the collector received it and at most
 * {@link #MAX_AGE} before; any other sample is kept out (see {@link SampleDisposition}). So within a
 * check time only moves forward, and no stamp is far enough from the receive time to overflow the
 * arithmetic downstream.
 */
public final class CheckBoard implements SnapshotPart {
    /**
     * How far a sample may be scheduled after the collector received it: generous for clocks that are
     * merely unsynchronised, while a sample stamped further ahead would block every later one of its
     * check as out of order until the agent's clock caught up.
     */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /**
     * How far a sample may be scheduled before the collector received it: longer than the longest SLA
     * window (30 days) plus the day of outage retention, so a sample kept out could not have counted
     * in any figure anyway.
     */
    public static final Duration MAX_AGE = Duration.ofDays(35);

    private static final long MAX_AHEAD_MILLIS = MAX_AHEAD.toMillis();
    private static final long MAX_AGE_MILLIS = MAX_AGE.toMillis();

    private final Thresholds thresholds;
    private final List<CheckListener> listeners;
    private final Map<CheckKey, CheckStatus> checks = new TreeMap<>();
    /**
     * The same checks by hash, for the lookup every sample makes: the sorted map costs about ten
     * two-string comparisons per lookup at 1,000 checks, an eighth of the ingest time (CollectorIngestBenchmark).
     */
    private final Map<CheckKey, CheckStatus> byKey = new HashMap<>();

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
     * Applies one sample of {@code agent}'s, unless it is out of order or too far from its receive time.
     *
     * @param receivedEpochMillis when the collector received the sample, from its journal entry
     * @param journalIndex        the index of the sample's entry in the collector's journal
     * @return whether it was applied, and if not, why; a sample not applied reaches no listener and
     *         creates no check
     */
    public SampleDisposition apply(String agent, Sample sample, long receivedEpochMillis, long journalIndex) {
        long scheduled = sample.scheduledEpochMillis();
        // Bounds computed from the receive time (the collector's own clock, sane) rather than the
        // difference of the two stamps, which overflows for a stamp such as Long.MIN_VALUE.
        if (scheduled > saturatedAdd(receivedEpochMillis, MAX_AHEAD_MILLIS)) {
            return SampleDisposition.FUTURE;
        }
        if (scheduled < saturatedAdd(receivedEpochMillis, -MAX_AGE_MILLIS)) {
            return SampleDisposition.TOO_OLD;
        }
        if (!sample.outcome().isMeasurement()) {
            return SampleDisposition.SKIPPED_RUN;
        }
        CheckKey key = new CheckKey(agent, sample.checkId());
        CheckStatus status = byKey.get(key);
        if (status == null) {
            status = new CheckStatus(key, thresholds);
            checks.put(key, status);
            byKey.put(key, status);
        } else if (scheduled <= status.lastSample().scheduledEpochMillis()) {
            return SampleDisposition.OUT_OF_ORDER;
        }
        Optional<Transition> transition = status.apply(sample);
        AppliedSample applied = new AppliedSample(key, sample, receivedEpochMillis, journalIndex, transition);
        for (CheckListener listener : listeners) {
            listener.onSample(applied);
        }
        return SampleDisposition.APPLIED;
    }

    /** Every check, ordered by agent then check id. */
    public Collection<CheckStatus> checks() {
        return new ArrayList<>(checks.values());
    }

    /** The check with {@code key}, if it has reported. */
    public Optional<CheckStatus> check(CheckKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    private static long saturatedAdd(long epochMillis, long deltaMillis) {
        long sum = epochMillis + deltaMillis;
        // Overflow happened iff both operands have the same sign and the sum's sign differs.
        if (((epochMillis ^ sum) & (deltaMillis ^ sum)) < 0) {
            return deltaMillis > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    @Override
    public String snapshotName() {
        return "board";
    }

    @Override
    public int snapshotVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(checks.size());
        for (CheckStatus status : checks.values()) {
            out.writeUTF(status.key().agent());
            out.writeUTF(status.key().check());
            status.writeTo(out);
        }
    }

    @Override
    public void readSnapshot(DataInput in) throws IOException {
        if (!checks.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty board only");
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            CheckKey key = new CheckKey(in.readUTF(), in.readUTF());
            CheckStatus status = new CheckStatus(key, thresholds);
            status.readFrom(in);
            checks.put(key, status);
            byKey.put(key, status);
        }
    }
}
