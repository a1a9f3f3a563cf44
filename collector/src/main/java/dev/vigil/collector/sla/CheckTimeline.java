package dev.vigil.collector.sla;

import dev.vigil.collector.state.CheckState;
import dev.vigil.collector.state.CheckStateMachine;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.collector.state.Transition;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The state over time of one check location (one agent running one check): UP and DOWN from the
 * hysteresis of {@link CheckStateMachine}, NO_DATA where the agent was silent.
 *
 * <p>Samples are applied in strictly increasing scheduled order; one scheduled at or before the last
 * applied is ignored (a duplicate or a late sample). The state at an instant is, in this order:
 * <ol>
 *   <li>NO_DATA before the first sample (or before the retained history, see {@link #forgetBefore}),
 *       from {@code previous + noDataAfter} to the next sample when two consecutive samples are
 *       scheduled more than {@code noDataAfter} apart, and from {@code last + noDataAfter} on;</li>
 *   <li>otherwise DOWN from the scheduled time of the first failed sample of each confirming run to
 *       that of the first successful sample of the recovering run;</li>
 *   <li>otherwise UP, including before the first confirmed state.</li>
 * </ol>
 *
 * <p>Memory: only change points are kept, in primitive arrays — two longs per state change plus one
 * for its detection time, two per silent gap — so a steady check costs a few hundred bytes whatever
 * its sample rate. {@link #writeTo} and {@link #readFrom} snapshot it exactly. Not thread-safe.
 */
public final class CheckTimeline implements StateTimeline {
    /** Default no-data delay when the check interval is not known. */
    public static final Duration DEFAULT_NO_DATA_AFTER = Duration.ofMinutes(5);

    private static final int FORMAT = 0x56544c31; // "VTL1"

    private final Thresholds thresholds;
    private final long noDataAfterMillis;
    private final FlapRule flapRule;
    private final CheckStateMachine machine;

    // The run in progress, mirrored from the machine only so that a snapshot can restore it.
    private boolean runIsSuccess;
    private int runLength;
    private long runStartMillis;

    private boolean hasSamples;
    private long firstScheduledMillis;
    private long lastScheduledMillis;
    private long horizonMillis = Long.MIN_VALUE;
    /** Alternating DOWN start, UP start, DOWN start, ...: even indices start DOWN, odd ones UP. */
    private final Longs changes = new Longs();
    /** Per DOWN change (index = change index / 2): when it became known. */
    private final Longs detected = new Longs();
    /** Silent gaps as start, end pairs, ascending and disjoint. */
    private final Longs gaps = new Longs();

    /**
     * A timeline without samples, with the default flap rule.
     *
     * @param thresholds        the hysteresis
     * @param noDataAfterMillis how long after a sample's scheduled time the next must be scheduled
     *                          before the time counts as NO_DATA, milliseconds, > 0 (3 × the check
     *                          interval when known, else {@link #DEFAULT_NO_DATA_AFTER})
     */
    public CheckTimeline(Thresholds thresholds, long noDataAfterMillis) {
        this(thresholds, noDataAfterMillis, FlapRule.DEFAULT);
    }

    /**
     * A timeline without samples.
     *
     * @param thresholds        the hysteresis
     * @param noDataAfterMillis see {@link #CheckTimeline(Thresholds, long)}
     * @param flapRule          when it counts as flapping
     */
    public CheckTimeline(Thresholds thresholds, long noDataAfterMillis, FlapRule flapRule) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.flapRule = Objects.requireNonNull(flapRule, "flapRule");
        if (noDataAfterMillis < 1) {
            throw new IllegalArgumentException("noDataAfterMillis must be > 0 (was " + noDataAfterMillis + ")");
        }
        this.noDataAfterMillis = noDataAfterMillis;
        this.machine = new CheckStateMachine(thresholds);
    }

    /** The hysteresis thresholds. */
    public Thresholds thresholds() {
        return thresholds;
    }

    /** The no-data delay, milliseconds. */
    public long noDataAfterMillis() {
        return noDataAfterMillis;
    }

    /** The flap rule. */
    public FlapRule flapRule() {
        return flapRule;
    }

    /**
     * Applies one sample.
     *
     * @param scheduledEpochMillis the sample's scheduled time; must be after the last applied one
     * @param success              whether it succeeded
     * @param receivedEpochMillis  when the collector received it: a DOWN it confirms counts as detected
     *                             then (or at its scheduled time if that is later, for skewed clocks)
     * @return false, and nothing changes, if it is scheduled at or before the last applied sample
     */
    public boolean apply(long scheduledEpochMillis, boolean success, long receivedEpochMillis) {
        if (hasSamples && scheduledEpochMillis <= lastScheduledMillis) {
            return false;
        }
        if (!hasSamples) {
            hasSamples = true;
            firstScheduledMillis = scheduledEpochMillis;
        } else if (scheduledEpochMillis - lastScheduledMillis > noDataAfterMillis) {
            gaps.add(lastScheduledMillis + noDataAfterMillis);
            gaps.add(scheduledEpochMillis);
        }
        lastScheduledMillis = scheduledEpochMillis;
        if (runLength == 0 || runIsSuccess != success) {
            runIsSuccess = success;
            runLength = 0;
            runStartMillis = scheduledEpochMillis;
        }
        runLength = Math.min(runLength + 1, Thresholds.MAX + 1);
        Optional<Transition> transition = machine.apply(success, scheduledEpochMillis);
        if (transition.isPresent()) {
            Transition t = transition.get();
            if (t.wentDown()) {
                changes.add(t.atEpochMillis());
                detected.add(Math.max(receivedEpochMillis, scheduledEpochMillis));
            } else if (t.recovered()) {
                changes.add(t.atEpochMillis());
            }
        }
        return true;
    }

    /** Whether any sample has been applied. */
    public boolean hasSamples() {
        return hasSamples;
    }

    /** Scheduled time of the last applied sample; empty if none. */
    public java.util.OptionalLong lastScheduledMillis() {
        return hasSamples ? java.util.OptionalLong.of(lastScheduledMillis) : java.util.OptionalLong.empty();
    }

    /**
     * The current state: UNKNOWN without samples or before the first confirmed state, NO_DATA from
     * {@code last + noDataAfter} on, else UP or DOWN.
     */
    public TimelineState currentState(long nowEpochMillis) {
        if (!hasSamples) {
            return TimelineState.UNKNOWN;
        }
        if (nowEpochMillis - lastScheduledMillis >= noDataAfterMillis) {
            return TimelineState.NO_DATA;
        }
        return switch (machine.state()) {
            case UNKNOWN -> TimelineState.UNKNOWN;
            case UP -> TimelineState.UP;
            case DOWN -> TimelineState.DOWN;
        };
    }

    /** Number of state changes (UP to DOWN, DOWN to UP) dated within {@code [from, to)}. */
    public int stateChanges(long fromEpochMillis, long toEpochMillis) {
        if (toEpochMillis <= fromEpochMillis) {
            return 0;
        }
        return changes.firstIndexAtOrAfter(toEpochMillis) - changes.firstIndexAtOrAfter(fromEpochMillis);
    }

    /**
     * Whether it is flapping: at least {@code flapRule.changes()} state changes dated within
     * {@code (now − flapRule.window(), now]}.
     */
    public boolean isFlapping(long nowEpochMillis) {
        long windowMillis = flapRule.window().toMillis();
        return stateChanges(nowEpochMillis - windowMillis + 1, nowEpochMillis + 1) >= flapRule.changes();
    }

    @Override
    public long historyStartMillis() {
        return hasSamples ? Math.max(firstScheduledMillis, horizonMillis) : Long.MAX_VALUE;
    }

    @Override
    public TimelineSlice slice(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        long end = Math.min(toEpochMillis, nowEpochMillis);
        if (end <= fromEpochMillis) {
            return new TimelineSlice(IntervalSet.EMPTY, IntervalSet.EMPTY);
        }
        IntervalSet noData = noDataWithin(fromEpochMillis, end);
        IntervalSet.Builder down = IntervalSet.builder();
        // the DOWN change in force at `from` (if any) and every later one
        int i = Math.max(0, changes.firstIndexAfter(fromEpochMillis) - 1);
        if ((i & 1) == 1) {
            i++;
        }
        for (; i < changes.size() && changes.get(i) < end; i += 2) {
            long downEnd = i + 1 < changes.size() ? changes.get(i + 1) : end;
            down.add(Math.max(changes.get(i), fromEpochMillis), Math.min(downEnd, end));
        }
        return new TimelineSlice(down.build().minus(noData), noData);
    }

    private IntervalSet noDataWithin(long from, long end) {
        if (!hasSamples) {
            return IntervalSet.of(from, end);
        }
        IntervalSet.Builder noData = IntervalSet.builder();
        noData.add(from, Math.min(historyStartMillis(), end));
        for (int g = gaps.firstPairEndingAfter(from); g < gaps.size() && gaps.get(g) < end; g += 2) {
            noData.add(Math.max(gaps.get(g), from), Math.min(gaps.get(g + 1), end));
        }
        noData.add(Math.max(lastScheduledMillis + noDataAfterMillis, from), end);
        return noData.build();
    }

    @Override
    public TimelineState stateAt(long epochMillis, long nowEpochMillis) {
        if (epochMillis >= nowEpochMillis) {
            throw new IllegalArgumentException("state at " + epochMillis + " is not known at " + nowEpochMillis);
        }
        if (isNoData(epochMillis)) {
            return TimelineState.NO_DATA;
        }
        int i = changes.firstIndexAfter(epochMillis) - 1;
        return i >= 0 && (i & 1) == 0 ? TimelineState.DOWN : TimelineState.UP;
    }

    private boolean isNoData(long epochMillis) {
        if (!hasSamples || epochMillis < historyStartMillis()
                || epochMillis >= lastScheduledMillis + noDataAfterMillis) {
            return true;
        }
        int g = gaps.firstPairEndingAfter(epochMillis);
        return g < gaps.size() && gaps.get(g) <= epochMillis;
    }

    @Override
    public long detectedAt(long epochMillis, long nowEpochMillis) {
        if (stateAt(epochMillis, nowEpochMillis) != TimelineState.DOWN) {
            throw new IllegalArgumentException("not down at " + epochMillis);
        }
        int i = changes.firstIndexAfter(epochMillis) - 1;
        return Math.max(epochMillis, detected.get(i / 2));
    }

    @Override
    public long forgottenBeforeMillis() {
        return horizonMillis;
    }

    @Override
    public long pendingSinceMillis() {
        return runCanConfirm() ? runStartMillis : Long.MAX_VALUE;
    }

    private boolean runCanConfirm() {
        return runLength > 0 && (machine.state() == CheckState.UNKNOWN
                || (machine.state() == CheckState.UP) != runIsSuccess);
    }

    @Override
    public void forgetBefore(long epochMillis, long nowEpochMillis) {
        forgetBefore(epochMillis);
    }

    /**
     * Drops history that no query at or after {@code epochMillis} needs; instants before the new
     * history start read as NO_DATA. An outage in progress at that instant, and a run of samples that
     * may still confirm one, keep their true start, so figures for ranges starting at or after
     * {@code epochMillis} do not change.
     */
    public void forgetBefore(long epochMillis) {
        long keepFrom = epochMillis;
        if (runCanConfirm()) {
            keepFrom = Math.min(keepFrom, runStartMillis);
        }
        int inForce = changes.firstIndexAfter(epochMillis) - 1;
        if (inForce >= 0 && (inForce & 1) == 0) {
            keepFrom = Math.min(keepFrom, changes.get(inForce));
        }
        if (keepFrom <= horizonMillis) {
            return;
        }
        int pairs = 0;
        while (2 * pairs + 1 < changes.size() && changes.get(2 * pairs + 1) <= keepFrom) {
            pairs++;
        }
        changes.removeFirst(2 * pairs);
        detected.removeFirst(pairs);
        gaps.removeFirst(gaps.firstPairEndingAfter(keepFrom));
        horizonMillis = keepFrom;
    }

    /** Writes an exact snapshot, read back by {@link #readFrom}. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(thresholds.failuresToOpen());
        out.writeInt(thresholds.successesToClose());
        out.writeLong(noDataAfterMillis);
        out.writeInt(flapRule.changes());
        out.writeLong(flapRule.window().toMillis());
        out.writeByte(machine.state().ordinal());
        out.writeBoolean(runIsSuccess);
        out.writeInt(runLength);
        out.writeLong(runStartMillis);
        out.writeBoolean(hasSamples);
        out.writeLong(firstScheduledMillis);
        out.writeLong(lastScheduledMillis);
        out.writeLong(horizonMillis);
        changes.writeTo(out);
        detected.writeTo(out);
        gaps.writeTo(out);
    }

    /**
     * Reads a snapshot written by {@link #writeTo}.
     *
     * @throws IOException if the input ends early or is not such a snapshot
     */
    public static CheckTimeline readFrom(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("not a check timeline snapshot (format " + Integer.toHexString(format) + ")");
        }
        Thresholds thresholds;
        FlapRule flapRule;
        long noDataAfter;
        try {
            thresholds = new Thresholds(in.readInt(), in.readInt());
            noDataAfter = in.readLong();
            flapRule = new FlapRule(in.readInt(), Duration.ofMillis(in.readLong()));
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt check timeline snapshot: " + e.getMessage(), e);
        }
        CheckTimeline timeline;
        try {
            timeline = new CheckTimeline(thresholds, noDataAfter, flapRule);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt check timeline snapshot: " + e.getMessage(), e);
        }
        int stateOrdinal = in.readByte();
        if (stateOrdinal < 0 || stateOrdinal >= CheckState.values().length) {
            throw new IOException("corrupt check timeline snapshot: state " + stateOrdinal);
        }
        CheckState state = CheckState.values()[stateOrdinal];
        timeline.runIsSuccess = in.readBoolean();
        timeline.runLength = in.readInt();
        timeline.runStartMillis = in.readLong();
        timeline.hasSamples = in.readBoolean();
        timeline.firstScheduledMillis = in.readLong();
        timeline.lastScheduledMillis = in.readLong();
        timeline.horizonMillis = in.readLong();
        timeline.changes.readFrom(in);
        timeline.detected.readFrom(in);
        timeline.gaps.readFrom(in);
        timeline.restoreMachine(state);
        return timeline;
    }

    /**
     * Brings the fresh state machine to {@code state} with the current run, by feeding it samples: the
     * machine keeps its state, the kind, length and start of the current run, and nothing else that
     * matters (the length of a run of the kind of the current state never changes anything).
     */
    private void restoreMachine(CheckState state) {
        if (runLength == 0) {
            return;
        }
        if (state == CheckState.UNKNOWN) {
            feed(runIsSuccess, runLength, runStartMillis);
            return;
        }
        boolean stateIsUp = state == CheckState.UP;
        int toReachState = stateIsUp ? thresholds.successesToClose() : thresholds.failuresToOpen();
        if (runIsSuccess == stateIsUp) {
            feed(stateIsUp, toReachState, runStartMillis);
        } else {
            feed(stateIsUp, toReachState, runStartMillis - 1);
            feed(runIsSuccess, runLength, runStartMillis);
        }
        if (machine.state() != state) {
            throw new IllegalStateException("snapshot restored to " + machine.state() + ", expected " + state);
        }
    }

    private void feed(boolean success, int count, long scheduledEpochMillis) {
        for (int k = 0; k < count; k++) {
            machine.apply(success, scheduledEpochMillis);
        }
    }

    /** A growable array of ascending longs. */
    private static final class Longs {
        private long[] values = new long[4];
        private int size;

        int size() {
            return size;
        }

        long get(int i) {
            return values[i];
        }

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void removeFirst(int count) {
            System.arraycopy(values, count, values, 0, size - count);
            size -= count;
        }

        /** The first index whose value is > {@code value}, or size. */
        int firstIndexAfter(long value) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] <= value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The first index whose value is >= {@code value}, or size. */
        int firstIndexAtOrAfter(long value) {
            return value == Long.MIN_VALUE ? 0 : firstIndexAfter(value - 1);
        }

        /** For start, end pairs: the even index of the first pair ending after {@code value}, or size. */
        int firstPairEndingAfter(long value) {
            int i = firstIndexAfter(value);
            return (i & 1) == 1 ? i - 1 : i;
        }

        void writeTo(DataOutput out) throws IOException {
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(values[i]);
            }
        }

        void readFrom(DataInput in) throws IOException {
            int n = in.readInt();
            if (n < 0 || n > 100_000_000) {
                throw new IOException("corrupt check timeline snapshot: array of " + n);
            }
            values = new long[Math.max(4, n)];
            for (int i = 0; i < n; i++) {
                values[i] = in.readLong();
            }
            size = n;
        }
    }
}
