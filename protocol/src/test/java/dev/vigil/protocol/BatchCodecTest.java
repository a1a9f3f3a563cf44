package dev.vigil.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
    private static final long EPOCH = 1_790_000_000_000L;
    private static final UUID INSTANCE = UUID.fromString("6f1c2d9e-0b7a-4c55-9a43-2f7d8e1b0c11");
    /** Magic, version, epoch, instance, gap count (0), record count. */
    private static final int FIRST_RECORD = 4 + 1 + 8 + 16 + 2 + 4;

    static Sample sample(String check, Outcome outcome, String detail) {
        return new Sample(check, 1_700_000_000_123L, 42_000, outcome, Sample.NOT_MEASURED, 31_000, Sample.NOT_MEASURED,
                120_000, 250_000, outcome.isSuccess() ? 200 : 503, detail);
    }

    private static byte[] encode(List<SampleRecord> records) {
        return BatchCodec.encode(EPOCH, INSTANCE, List.of(), records);
    }

    @Test
    void roundTripsEveryFieldOfEveryRecordAndGap() {
        List<SampleRecord> records = List.of(
                new SampleRecord(0, sample("web", Outcome.OK, "")),
                new SampleRecord(7, sample("db-ünïcode", Outcome.STATUS_MISMATCH, "status 503 not in [200-299]")),
                new SampleRecord(1L << 40, sample("x", Outcome.CONNECT_REFUSED, "connection refused")));
        List<Gap> gaps = List.of(
                new Gap(0, GapReason.NOT_JOURNALED, 12, -1, -1, 1_700_000_000_000L, 1_700_000_011_000L),
                new Gap(3, GapReason.DISK_BUDGET, 3_600, 5L << 32, (5L << 32) + 3_599, -1, -1));

        Batch batch = BatchCodec.decode(BatchCodec.encode(EPOCH, INSTANCE, gaps, records));

        assertThat(batch).isEqualTo(new Batch(EPOCH, INSTANCE, gaps, records, List.of()));
    }

    @Test
    void roundTripsAnEmptyBatch() {
        assertThat(BatchCodec.decode(encode(List.of())).records()).isEmpty();
    }

    @Test
    void aTypicalRecordTakesFewerThanFortyBytes() {
        byte[] one = encode(List.of(new SampleRecord(77L << 32, sample("web-1", Outcome.OK, ""))));
        byte[] two = encode(List.of(new SampleRecord(77L << 32, sample("web-1", Outcome.OK, "")),
                new SampleRecord((77L << 32) + 1, sample("web-1", Outcome.OK, ""))));

        assertThat(two.length - one.length).isLessThan(40);
    }

    @Test
    void namesTheRecordAndByteOfATruncatedBatch() {
        byte[] bytes = encode(List.of(
                new SampleRecord(1, sample("web", Outcome.OK, "")),
                new SampleRecord(2, sample("web", Outcome.TIMEOUT, "boom"))));
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);

        assertThatThrownBy(() -> BatchCodec.decode(cut))
                .isInstanceOf(ProtocolException.class)
                .hasMessageMatching("record 1 at byte \\d+: sample length \\d+ runs past the end of the batch .*");
    }

    @Test
    void setsAsideARecordWithAnUnknownOutcomeAsRetryableAndKeepsTheOthers() {
        byte[] bytes = encode(List.of(new SampleRecord(1, sample("web", Outcome.OK, "")),
                new SampleRecord(2, sample("db", Outcome.OK, ""))));
        // index 1, length, checkId length 3, "web", zigzag scheduled (6 bytes), lag 42000 (3 bytes), outcome
        int outcomeOffset = FIRST_RECORD + 1 + 1 + 1 + 3 + 6 + 3;
        assertThat(bytes[outcomeOffset]).isEqualTo((byte) Outcome.OK.code());
        bytes[outcomeOffset] = (byte) 200;

        Batch batch = BatchCodec.decode(bytes);

        assertThat(batch.records()).extracting(SampleRecord::journalIndex).containsExactly(2L);
        assertThat(batch.invalid()).singleElement().satisfies(invalid -> {
            assertThat(invalid.journalIndex()).isEqualTo(1);
            assertThat(invalid.retryable()).isTrue();
            assertThat(invalid.message()).startsWith("record 0: unknown outcome code 200 in sample at byte");
        });
    }

    @Test
    void setsAsideARecordWhoseSampleIsInvalidAsNotRetryable() {
        byte[] bytes = encode(List.of(new SampleRecord(1, sample("web", Outcome.OK, ""))));
        int checkIdLength = FIRST_RECORD + 2;
        bytes[checkIdLength] = 0;

        Batch batch = BatchCodec.decode(bytes);

        assertThat(batch.records()).isEmpty();
        assertThat(batch.invalid()).singleElement().satisfies(invalid -> {
            assertThat(invalid.retryable()).isFalse();
            assertThat(invalid.message()).startsWith("record 0: ");
        });
    }

    @Test
    void rejectsIndexesThatDoNotIncrease() {
        byte[] bytes = encode(List.of(new SampleRecord(5, sample("a", Outcome.OK, "")),
                new SampleRecord(6, sample("b", Outcome.OK, ""))));
        int secondDelta = FIRST_RECORD + 1 + 1 + SampleCodec.encodedLength(sample("a", Outcome.OK, ""));
        assertThat(bytes[secondDelta]).isEqualTo((byte) 1);
        bytes[secondDelta] = 0;

        assertThatThrownBy(() -> BatchCodec.decode(bytes))
                .hasMessageContaining("record 1 at byte " + secondDelta
                        + ": journal index does not increase over the previous 5");
    }

    @Test
    void rejectsHostileCountsAndLengths() {
        byte[] ok = encode(List.of(new SampleRecord(1, sample("web", Outcome.OK, ""))));
        byte[] hugeCount = ok.clone();
        ByteBuffer.wrap(hugeCount).putInt(FIRST_RECORD - 4, -1);
        byte[] hugeGaps = ok.clone();
        ByteBuffer.wrap(hugeGaps).putShort(FIRST_RECORD - 6, (short) 0xFFFF);
        byte[] hugeLength = ok.clone();
        hugeLength[FIRST_RECORD + 1] = (byte) 0xFF;
        byte[] epoch = ok.clone();
        ByteBuffer.wrap(epoch).putLong(5, 0);

        assertThatThrownBy(() -> BatchCodec.decode(hugeCount))
                .hasMessageContaining("declares 4294967295 records, more than the 100000 allowed");
        assertThatThrownBy(() -> BatchCodec.decode(hugeGaps)).hasMessageContaining("65535 gaps");
        assertThatThrownBy(() -> BatchCodec.decode(hugeLength)).hasMessageContaining("record 0 at byte " + FIRST_RECORD);
        assertThatThrownBy(() -> BatchCodec.decode(epoch)).hasMessageContaining("epoch must be > 0");
    }

    @Test
    void rejectsBadMagicVersionAndTrailingBytes() {
        byte[] ok = encode(List.of());
        byte[] magic = ok.clone();
        magic[0] = 'X';
        byte[] version = ok.clone();
        version[4] = 9;
        byte[] trailing = Arrays.copyOf(ok, ok.length + 3);

        assertThatThrownBy(() -> BatchCodec.decode(magic)).hasMessage("not a Vigil batch: bad magic at byte 0");
        assertThatThrownBy(() -> BatchCodec.decode(version)).hasMessageContaining("unsupported batch version 9");
        assertThat(BatchCodec.declaredVersion(version)).isEqualTo(9);
        assertThat(BatchCodec.declaredVersion(magic)).isEqualTo(-1);
        assertThatThrownBy(() -> BatchCodec.decode(trailing)).hasMessageContaining("3 trailing bytes");
        assertThatThrownBy(() -> BatchCodec.decode(new byte[3])).hasMessageContaining("shorter than its 29-byte header");
    }

    @Test
    void acksRoundTripWithRejectionsAndRejectForeignBytes() {
        Ack ack = new Ack(EPOCH, 123_456_789_012L, 4, 10, 3, List.of(
                new Rejection(123_456_789_000L, RejectionReason.FUTURE, "scheduled 2031-01-01T00:00:00Z, 600 s ahead"),
                new Rejection(123_456_789_011L, RejectionReason.INVALID, "record 11: invalid checkId")));
        byte[] encoded = AckCodec.encode(ack);

        assertThat(AckCodec.decode(encoded)).isEqualTo(ack);
        assertThatThrownBy(() -> AckCodec.decode(new byte[4])).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> AckCodec.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated ack");
    }

    @Test
    void cutsLongDetailsOnACharacterBoundary() {
        String detail = "é".repeat(400);
        String cut = Sample.withDetail(detail);
        assertThat(Utf8.length(cut)).isLessThanOrEqualTo(Sample.MAX_DETAIL_BYTES);
        assertThat(detail).startsWith(cut);
    }

    @Test
    void theLargestSamplesFitTheMaximumEncodedLengthAndRoundTrip() {
        Sample largest = new Sample("c".repeat(Sample.MAX_CHECK_ID_BYTES), Long.MIN_VALUE, Long.MAX_VALUE,
                Outcome.TIMEOUT, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 65535,
                "d".repeat(Sample.MAX_DETAIL_BYTES));
        byte[] bytes = SampleCodec.toBytes(largest);

        assertThat(bytes.length).isLessThanOrEqualTo(SampleCodec.MAX_ENCODED_BYTES);
        assertThat(SampleCodec.read(ByteBuffer.wrap(bytes))).isEqualTo(largest);
    }

    @Test
    void refusesAVarintLongerThanSixtyFourBits() {
        byte[] bytes = new byte[11];
        Arrays.fill(bytes, (byte) 0xFF);

        assertThatThrownBy(() -> SampleCodec.read(ByteBuffer.wrap(bytes)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than 64 bits");
    }
}
