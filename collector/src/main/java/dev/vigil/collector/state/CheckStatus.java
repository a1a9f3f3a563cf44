package dev.vigil.collector.state;

import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * What the collector knows about one check right now: its state machine, its last sample and how many
 * samples of each outcome it has seen. Read it on the thread that applies samples.
 */
public final class CheckStatus {
    private final CheckKey key;
    private final CheckStateMachine machine;
    private final long[] samplesByOutcome = new long[Outcome.values().length];
    private Sample lastSample;
    private long samples;

    CheckStatus(CheckKey key, Thresholds thresholds) {
        this.key = key;
        this.machine = new CheckStateMachine(thresholds);
    }

    Optional<Transition> apply(Sample sample) {
        samples++;
        samplesByOutcome[sample.outcome().ordinal()]++;
        lastSample = sample;
        return machine.apply(sample.success(), sample.scheduledEpochMillis());
    }

    /** The check. */
    public CheckKey key() {
        return key;
    }

    /** Its state. */
    public CheckState state() {
        return machine.state();
    }

    /** When its state began, empty while UNKNOWN. */
    public Optional<Long> sinceEpochMillis() {
        return machine.sinceEpochMillis();
    }

    /** The last sample applied; every status has at least one. */
    public Sample lastSample() {
        return lastSample;
    }

    /** How many samples were applied. */
    public long samples() {
        return samples;
    }

    /** How many samples with {@code outcome} were applied. */
    public long samples(Outcome outcome) {
        return samplesByOutcome[outcome.ordinal()];
    }

    void writeTo(DataOutput out) throws IOException {
        machine.writeTo(out);
        out.writeLong(samples);
        int kinds = 0;
        for (long count : samplesByOutcome) {
            kinds += count == 0 ? 0 : 1;
        }
        // By name, not ordinal: an outcome added to the protocol must not shift the counts.
        out.writeShort(kinds);
        for (Outcome outcome : Outcome.values()) {
            if (samplesByOutcome[outcome.ordinal()] != 0) {
                out.writeUTF(outcome.name());
                out.writeLong(samplesByOutcome[outcome.ordinal()]);
            }
        }
        byte[] last = SampleCodec.toBytes(lastSample);
        out.writeShort(last.length);
        out.write(last);
    }

    void readFrom(DataInput in) throws IOException {
        machine.readFrom(in);
        samples = in.readLong();
        int kinds = in.readUnsignedShort();
        for (int i = 0; i < kinds; i++) {
            String name = in.readUTF();
            long count = in.readLong();
            try {
                samplesByOutcome[Outcome.valueOf(name).ordinal()] = count;
            } catch (IllegalArgumentException e) {
                throw new IOException("unknown outcome " + name, e);
            }
        }
        byte[] last = new byte[in.readUnsignedShort()];
        in.readFully(last);
        lastSample = SampleCodec.read(ByteBuffer.wrap(last));
    }
}
