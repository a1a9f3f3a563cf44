package dev.vigil.collector.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The hysteresis of one check: {@code failures_to_open} consecutive failures make it DOWN,
 * {@code successes_to_close} consecutive successes make it UP. A new check is UNKNOWN until one
 * threshold is reached. Not thread-safe; samples are applied in the order received.
 */
public final class CheckStateMachine {
    private final Thresholds thresholds;
    private CheckState state = CheckState.UNKNOWN;
    private long sinceEpochMillis;
    private boolean runIsSuccess;
    private int runLength;
    private long runStartEpochMillis;

    /** A machine in state UNKNOWN with the given thresholds. */
    public CheckStateMachine(Thresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /**
     * Applies one sample.
     *
     * @param success              whether the sample succeeded
     * @param scheduledEpochMillis the sample's scheduled start, milliseconds since the epoch
     * @return the state change this sample caused, if any
     */
    public Optional<Transition> apply(boolean success, long scheduledEpochMillis) {
        if (runLength == 0 || runIsSuccess != success) {
            runIsSuccess = success;
            runLength = 0;
            runStartEpochMillis = scheduledEpochMillis;
        }
        runLength++;
        CheckState target = success ? CheckState.UP : CheckState.DOWN;
        int threshold = success ? thresholds.successesToClose() : thresholds.failuresToOpen();
        if (state == target || runLength < threshold) {
            return Optional.empty();
        }
        Transition transition = new Transition(state, target, runStartEpochMillis);
        state = target;
        sinceEpochMillis = runStartEpochMillis;
        return Optional.of(transition);
    }

    /** The current state. */
    public CheckState state() {
        return state;
    }

    /** When the current state began (see {@link Transition#atEpochMillis()}), empty while UNKNOWN. */
    public Optional<Long> sinceEpochMillis() {
        return state == CheckState.UNKNOWN ? Optional.empty() : Optional.of(sinceEpochMillis);
    }

    /** Writes the machine's state (not its thresholds, which come from the configuration). */
    void writeTo(DataOutput out) throws IOException {
        out.writeByte(state.ordinal());
        out.writeLong(sinceEpochMillis);
        out.writeBoolean(runIsSuccess);
        out.writeInt(runLength);
        out.writeLong(runStartEpochMillis);
    }

    /** Reads a state written by {@link #writeTo} into this machine. */
    void readFrom(DataInput in) throws IOException {
        int ordinal = in.readUnsignedByte();
        if (ordinal >= CheckState.values().length) {
            throw new IOException("unknown check state " + ordinal);
        }
        state = CheckState.values()[ordinal];
        sinceEpochMillis = in.readLong();
        runIsSuccess = in.readBoolean();
        runLength = in.readInt();
        runStartEpochMillis = in.readLong();
        if (runLength < 0) {
            throw new IOException("negative run length " + runLength);
        }
    }
}
