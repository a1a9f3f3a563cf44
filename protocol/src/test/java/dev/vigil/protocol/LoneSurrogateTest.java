package dev.vigil.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Found by {@link DecoderFuzzTest}: a lone surrogate in a check id or detail (Java strings allow it;
 * UTF-8 has no form for it, so the codecs write '?') must cost the one byte the codecs write for it.
 */
class LoneSurrogateTest {
    private static Sample sample(String checkId, String detail) {
        return new Sample(checkId, 1_700_000_000_000L, 0, Outcome.TIMEOUT, -1, -1, -1, -1, 5, 0, detail);
    }

    @Test
    void aBatchWithALoneSurrogateInACheckIdDecodesWithAQuestionMarkInItsPlace() {
        List<SampleRecord> records = List.of(new SampleRecord(1, sample("web\uD800", "late\uDC00")),
                new SampleRecord(2, sample("db", "")));

        Batch batch = BatchCodec.decode(BatchCodec.encode(1, new UUID(1, 2), List.of(), records));

        assertThat(batch.invalid()).isEmpty();
        assertThat(batch.records()).containsExactly(new SampleRecord(1, sample("web?", "late?")), records.get(1));
    }

    @Test
    void aSampleEncodesToExactlyItsEncodedLengthWhateverItsSurrogates() {
        Sample sample = sample("\uD800".repeat(Sample.MAX_CHECK_ID_BYTES), "\uDFFF\uD800x");

        assertThat(SampleCodec.toBytes(sample)).hasSize(SampleCodec.encodedLength(sample));
    }

    @Test
    void aDetailOfLoneSurrogatesIsCutToTheLimitInsteadOfThrowing() {
        assertThat(Sample.withDetail("\uD800".repeat(600))).hasSize(Sample.MAX_DETAIL_BYTES);
    }

    @Test
    void aStringLengthOfTenVarintBytesIsRefusedAsTooLongNotAsAnIndexError() {
        byte[] bytes = new byte[20];
        java.nio.ByteBuffer.wrap(bytes).put(Mutator.varint(-2));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleCodec.read(java.nio.ByteBuffer.wrap(bytes)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid checkId in sample at byte 0: length 18446744073709551614 exceeds 200 bytes");
    }
}
