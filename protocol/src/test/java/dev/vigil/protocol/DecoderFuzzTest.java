package dev.vigil.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Feeds the three decoders valid input made by {@link FuzzInputs} and damaged by {@link Mutator}.
 * Whatever the bytes, a decoder returns or throws {@link ProtocolException}, within
 * {@link FuzzRun#CASE_LIMIT_MILLIS}; what it returns encodes again to bytes that decode equal; what it
 * refuses is named by record or gap and byte. Executions per test: {@code -Dvigil.fuzz.executions}
 * (see docs/fuzzing.md for the full run).
 */
class DecoderFuzzTest {
    /** The CI run: about 10 s for the four tests on two shared cores. */
    private static final long CI_EXECUTIONS = 20_000;
    private static final Pattern BYTE_OFFSET = Pattern.compile("byte (\\d+)");
    /** Ack offsets: accepted, duplicates and rejection count, u32 each. */
    private static final int ACK_COUNTS = 4 + 1 + 8 * 3;

    @Test
    void batchDecodeReturnsABatchThatReencodesEqualOrThrowsAProtocolExceptionWhateverTheBytes() throws Exception {
        FuzzRun.run("BatchCodec.decode", FuzzRun.executions(CI_EXECUTIONS / 2), (random, run) -> {
            FuzzInputs inputs = new FuzzInputs(random);
            FuzzInputs.EncodedBatch batch = inputs.batch(random.nextInt(4) == 0 ? 40 : 6);
            run.input(batch.bytes());
            if (random.nextInt(8) == 0) {
                assertThat(BatchCodec.decode(batch.bytes())).isEqualTo(new Batch(batch.epoch(), batch.instance(),
                        batch.gaps(), normalized(batch.records()), List.of()));
                return;
            }
            byte[] other = inputs.batch(3).bytes();
            int[] counts = {batch.gapCountAt(), 2, batch.recordCountAt() + gapBytes(batch), 4, 5, 8, 4, 1};
            Mutator mutator = new Mutator(random);
            byte[] mutated = mutator.mutate(batch.bytes(), batch.varintsAt(), counts, other);
            for (int more = random.nextInt(3); more > 0; more--) {
                mutated = mutator.mutate(mutated, List.of(), new int[0], other);
            }
            run.input(mutated);
            checkBatch(mutated);
        });
    }

    @Test
    void everyStrictPrefixOfABatchIsRefusedNamingAByte() throws Exception {
        FuzzRun.run("BatchCodec.decode truncated", Math.max(1, FuzzRun.executions(CI_EXECUTIONS) / 400),
                (random, run) -> {
                    byte[] bytes = new FuzzInputs(random).batch(8).bytes();
                    run.input(bytes);
                    for (int length = 0; length < bytes.length; length++) {
                        byte[] prefix = java.util.Arrays.copyOf(bytes, length);
                        try {
                            BatchCodec.decode(prefix);
                        } catch (ProtocolException e) {
                            checkMessage(e.getMessage(), prefix.length);
                            continue;
                        }
                        throw new AssertionError("the first " + length + " bytes of a batch decoded");
                    }
                });
    }

    @Test
    void sampleReadReturnsASampleThatReencodesEqualOrThrowsAProtocolExceptionWhateverTheBytes() throws Exception {
        FuzzRun.run("SampleCodec.read", FuzzRun.executions(CI_EXECUTIONS), (random, run) -> {
            FuzzInputs inputs = new FuzzInputs(random);
            Sample sample = inputs.sample();
            byte[] bytes = SampleCodec.toBytes(sample);
            run.input(bytes);
            ByteBuffer whole = ByteBuffer.wrap(bytes);
            assertThat(SampleCodec.read(whole)).isEqualTo(normalized(sample));
            assertThat(whole.remaining()).as("bytes left after the sample").isZero();

            List<Integer> varints = new ArrayList<>();
            FuzzInputs.sampleVarints(ByteBuffer.wrap(bytes), varints);
            Mutator mutator = new Mutator(random);
            byte[] mutated = mutator.mutate(bytes, varints, new int[0], SampleCodec.toBytes(inputs.sample()));
            run.input(mutated);
            // Inside a larger array, at an offset, as the batch decoder and the journals hand it over.
            int before = random.nextInt(4) == 0 ? random.nextInt(20) : 0;
            int after = random.nextInt(20);
            byte[] framed = new byte[before + mutated.length + after];
            System.arraycopy(mutated, 0, framed, before, mutated.length);
            ByteBuffer in = random.nextBoolean()
                    ? ByteBuffer.wrap(framed, before, mutated.length)
                    : ByteBuffer.wrap(framed, before, mutated.length).slice();
            int start = in.position();
            Sample read;
            try {
                read = SampleCodec.read(in);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).contains("at byte");
                return;
            }
            assertThat(in.position()).isBetween(start + 1, start + mutated.length);
            ByteBuffer again = ByteBuffer.wrap(SampleCodec.toBytes(read));
            assertThat(SampleCodec.read(again)).isEqualTo(read);
            assertThat(again.hasRemaining()).isFalse();
        });
    }

    @Test
    void ackDecodeReturnsAnAckThatReencodesEqualOrThrowsAProtocolExceptionWhateverTheBytes() throws Exception {
        FuzzRun.run("AckCodec.decode", FuzzRun.executions(CI_EXECUTIONS), (random, run) -> {
            FuzzInputs inputs = new FuzzInputs(random);
            Ack ack = inputs.ack();
            byte[] bytes = AckCodec.encode(ack);
            run.input(bytes);
            assertThat(AckCodec.decode(bytes)).isEqualTo(cut(ack));

            List<Integer> none = List.of();
            int[] counts = new int[2 * (4 + ack.rejections().size())];
            counts[0] = ACK_COUNTS;
            counts[1] = 4;
            counts[2] = ACK_COUNTS + 4;
            counts[3] = 4;
            counts[4] = ACK_COUNTS + 8;
            counts[5] = 4;
            counts[6] = 4;
            counts[7] = 1;
            int at = ACK_COUNTS + 12;
            for (int i = 0; i < ack.rejections().size(); i++) {
                counts[8 + 2 * i] = at + 9;
                counts[9 + 2 * i] = 2;
                at += 11 + (ByteBuffer.wrap(bytes, at + 9, 2).getShort() & 0xFFFF);
            }
            Mutator mutator = new Mutator(random);
            byte[] mutated = mutator.mutate(bytes, none, counts, AckCodec.encode(inputs.ack()));
            if (random.nextBoolean()) {
                mutated = mutator.mutate(mutated, none, new int[0], bytes);
            }
            run.input(mutated);
            Ack decoded;
            try {
                decoded = AckCodec.decode(mutated);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
                return;
            }
            Ack again = AckCodec.decode(AckCodec.encode(decoded));
            assertThat(again).isEqualTo(cut(decoded));
            assertThat(AckCodec.decode(AckCodec.encode(again))).isEqualTo(again);
        });
    }

    /** What the decoder must say of {@code bytes}: a batch with invalid records in order, or a named refusal. */
    static void checkBatch(byte[] bytes) {
        Batch batch;
        try {
            batch = BatchCodec.decode(bytes);
        } catch (ProtocolException e) {
            checkMessage(e.getMessage(), bytes.length);
            return;
        }
        assertIncreasing(batch.records().stream().mapToLong(SampleRecord::journalIndex).toArray(), "records");
        assertIncreasing(batch.invalid().stream().mapToLong(InvalidRecord::journalIndex).toArray(), "invalid records");
        // Both lists come out of one sequence of increasing indexes, so together they increase too.
        assertIncreasing(java.util.stream.LongStream.concat(
                batch.records().stream().mapToLong(SampleRecord::journalIndex),
                batch.invalid().stream().mapToLong(InvalidRecord::journalIndex)).sorted().toArray(), "all records");
        for (InvalidRecord record : batch.invalid()) {
            assertThat(record.message()).matches("(?s)record \\d+: .*");
            checkOffsets(record.message(), bytes.length);
        }
        Batch again = BatchCodec.decode(BatchCodec.encode(batch.epoch(), batch.instance(), batch.gaps(),
                batch.records()));
        assertThat(again).isEqualTo(new Batch(batch.epoch(), batch.instance(), batch.gaps(), batch.records(),
                List.of()));
    }

    /**
     * A refusal names a byte, and a record or gap when it is about one; only the header's own checks
     * (too short, unknown version) need not.
     */
    static void checkMessage(String message, int length) {
        assertThat(message).isNotBlank();
        if (message.startsWith("record ") || message.startsWith("gap ")) {
            assertThat(message).matches("(?s)(record|gap) \\d+( at byte \\d+: .*|: .*byte \\d+.*)");
        } else if (!message.startsWith("unsupported batch version") && !message.contains("-byte header")) {
            assertThat(message).matches("(?s).*byte \\d+.*");
        }
        checkOffsets(message, length);
    }

    private static void assertIncreasing(long[] indexes, String what) {
        for (int i = 1; i < indexes.length; i++) {
            if (indexes[i] <= indexes[i - 1]) {
                throw new AssertionError(what + ": journal index " + indexes[i] + " follows " + indexes[i - 1]);
            }
        }
    }

    private static void checkOffsets(String message, int length) {
        Matcher offsets = BYTE_OFFSET.matcher(message);
        while (offsets.find()) {
            assertThat(Long.parseLong(offsets.group(1))).as(message).isBetween(0L, (long) length);
        }
    }

    private static int gapBytes(FuzzInputs.EncodedBatch batch) {
        ByteBuffer in = ByteBuffer.wrap(batch.bytes());
        in.position(batch.gapCountAt());
        int gaps = in.getShort() & 0xFFFF;
        for (int i = 0; i < gaps; i++) {
            Varint.read(in);
            in.get();
            for (int field = 0; field < 5; field++) {
                Varint.read(in);
            }
        }
        return in.position() - batch.recordCountAt();
    }

    /** A string as it comes back through UTF-8: a lone surrogate becomes '?'. */
    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static Sample normalized(Sample s) {
        return new Sample(utf8(s.checkId()), s.scheduledEpochMillis(), s.startLagNanos(), s.outcome(), s.dnsNanos(),
                s.connectNanos(), s.tlsNanos(), s.firstByteNanos(), s.totalNanos(), s.statusCode(), utf8(s.detail()),
                s.evidence().map(DecoderFuzzTest::normalized));
    }

    private static Evidence normalized(Evidence e) {
        return new Evidence(utf8(e.remoteAddress()), utf8(e.statusLine()),
                e.headers().stream().map(h -> new Evidence.Header(utf8(h.name()), utf8(h.value()))).toList(),
                utf8(e.body()), e.bodyTruncated(), e.dnsAnswers().stream().map(DecoderFuzzTest::utf8).toList(),
                e.tlsChain().stream().map(c -> new Evidence.Certificate(utf8(c.subject()), utf8(c.issuer()),
                        c.notBeforeEpochMillis(), c.notAfterEpochMillis(), c.sha256())).toList(),
                utf8(e.error()));
    }

    private static List<SampleRecord> normalized(List<SampleRecord> records) {
        return records.stream().map(r -> new SampleRecord(r.journalIndex(), normalized(r.sample()))).toList();
    }

    /** The ack as the codec carries it: rejection messages cut to 1,000 bytes. */
    private static Ack cut(Ack ack) {
        return new Ack(ack.epoch(), ack.ackedIndex(), ack.ackedGap(), ack.accepted(), ack.duplicates(),
                ack.rejections().stream().map(r -> new Rejection(r.journalIndex(), r.reason(),
                        utf8(Utf8.truncate(r.message(), 1_000)))).toList());
    }
}
