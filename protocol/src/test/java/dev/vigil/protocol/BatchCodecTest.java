package dev.vigil.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    private static Sample sample(String check, Outcome outcome, String detail) {
        return new Sample(check, 1_700_000_000_123L, 42_000, outcome, Sample.NOT_MEASURED, 31_000, Sample.NOT_MEASURED,
                120_000, 250_000, outcome.isSuccess() ? 200 : 503, detail);
    }

    @Test
    void roundTripsEveryFieldOfEveryRecord() {
        List<SampleRecord> records = List.of(
                new SampleRecord(0, sample("web", Outcome.OK, "")),
                new SampleRecord(7, sample("db-ünïcode", Outcome.STATUS_MISMATCH, "status 503 not in [200-299]")),
                new SampleRecord(1L << 40, sample("x", Outcome.CONNECT_REFUSED, "connection refused")));

        assertThat(BatchCodec.decode(BatchCodec.encode(records))).isEqualTo(records);
    }

    @Test
    void roundTripsAnEmptyBatch() {
        assertThat(BatchCodec.decode(BatchCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void namesTheRecordAndByteOfATruncatedBatch() {
        byte[] bytes = BatchCodec.encode(List.of(
                new SampleRecord(1, sample("web", Outcome.OK, "")),
                new SampleRecord(2, sample("web", Outcome.TIMEOUT, "boom"))));
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);

        assertThatThrownBy(() -> BatchCodec.decode(cut))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("record 1: truncated sample: detail runs past the end");
    }

    @Test
    void rejectsAnUnknownOutcomeCodeNamingTheRecord() {
        byte[] bytes = BatchCodec.encode(List.of(new SampleRecord(1, sample("web", Outcome.OK, ""))));
        int outcomeOffset = 4 + 1 + 4 + 8 + 2 + "web".length() + 8 + 8;
        bytes[outcomeOffset] = (byte) 200;

        assertThatThrownBy(() -> BatchCodec.decode(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("record 0: invalid outcome in sample at byte 17: unknown outcome code 200");
    }

    @Test
    void rejectsIndexesThatDoNotIncrease() {
        byte[] first = BatchCodec.encode(List.of(new SampleRecord(5, sample("a", Outcome.OK, ""))));
        byte[] second = BatchCodec.encode(List.of(new SampleRecord(5, sample("b", Outcome.OK, ""))));
        byte[] both = new byte[first.length + second.length - 9];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 9, both, first.length, second.length - 9);
        both[8] = 2;

        assertThatThrownBy(() -> BatchCodec.decode(both))
                .hasMessageContaining("record 1: journal index 5 is not greater than the previous 5");
    }

    @Test
    void rejectsBadMagicVersionAndTrailingBytes() {
        byte[] ok = BatchCodec.encode(List.of());
        byte[] magic = ok.clone();
        magic[0] = 'X';
        byte[] version = ok.clone();
        version[4] = 9;
        byte[] trailing = Arrays.copyOf(ok, ok.length + 3);

        assertThatThrownBy(() -> BatchCodec.decode(magic)).hasMessage("not a Vigil batch: bad magic at byte 0");
        assertThatThrownBy(() -> BatchCodec.decode(version)).hasMessageContaining("unsupported batch version 9");
        assertThatThrownBy(() -> BatchCodec.decode(trailing)).hasMessageContaining("3 trailing bytes");
        assertThatThrownBy(() -> BatchCodec.decode(new byte[3])).hasMessageContaining("shorter than its 9-byte header");
    }

    @Test
    void acksRoundTripAndRejectForeignBytes() {
        Ack ack = new Ack(123_456_789_012L, 10, 3);
        assertThat(AckCodec.decode(AckCodec.encode(ack))).isEqualTo(ack);
        assertThatThrownBy(() -> AckCodec.decode(new byte[4])).isInstanceOf(ProtocolException.class);
    }

    @Test
    void cutsLongDetailsOnACharacterBoundary() {
        String detail = "é".repeat(400);
        String cut = Sample.withDetail(detail);
        assertThat(Utf8.length(cut)).isLessThanOrEqualTo(Sample.MAX_DETAIL_BYTES);
        assertThat(detail).startsWith(cut);
    }

    @Test
    void theLargestValidSampleFillsExactlyTheMaximumEncodedLength() {
        Sample largest = new Sample("c".repeat(Sample.MAX_CHECK_ID_BYTES), 1, 0, Outcome.TIMEOUT, 1, 2, 3, 4, 5, 65535,
                "d".repeat(Sample.MAX_DETAIL_BYTES));
        assertThat(SampleCodec.toBytes(largest)).hasSize(SampleCodec.MAX_ENCODED_BYTES);
    }
}
