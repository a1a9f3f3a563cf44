package dev.vigil.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EvidenceCodecTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static Evidence full() {
        return new Evidence("127.0.0.1:8443", "HTTP/1.1 503 Service Unavailable",
                List.of(new Evidence.Header("Content-Type", "text/html"), new Evidence.Header("Set-Cookie", "[redacted]")),
                "<h1>upstream down</h1>", true, List.of("A 127.0.0.1 ttl=30", "rcode NOERROR from 127.0.0.1:5353"),
                List.of(new Evidence.Certificate("CN=web.example", "CN=Example CA", 1_700_000_000_000L,
                        1_710_000_000_000L, SHA), new Evidence.Certificate("CN=Example CA", "CN=Example CA", -5L, 9L, SHA)),
                "io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record");
    }

    private static Sample failing(Evidence evidence) {
        return new Sample("web", 1_700_000_000_123L, 42_000, Outcome.STATUS_MISMATCH, 10, 31_000, 40_000, 120_000,
                250_000, 503, "status 503 not in [200-299]").withEvidence(evidence);
    }

    @Test
    void aSampleWithEvidenceRoundTripsThroughABatch() {
        List<SampleRecord> records = List.of(new SampleRecord(3, failing(full())),
                new SampleRecord(4, BatchCodecTest.sample("web", Outcome.OK, "")));

        Batch batch = BatchCodec.decode(BatchCodec.encode(7, UUID.randomUUID(), List.of(), records));

        assertThat(batch.records()).isEqualTo(records);
        assertThat(batch.records().get(0).sample().evidence()).contains(full());
        assertThat(batch.records().get(1).sample().evidence()).isEmpty();
    }

    @Test
    void encodedLengthIsWhatWriteUses() {
        Sample sample = failing(full());
        ByteBuffer buffer = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);
        SampleCodec.write(sample, buffer);

        assertThat(buffer.position()).isEqualTo(SampleCodec.encodedLength(sample));
        assertThat(SampleCodec.read(ByteBuffer.wrap(SampleCodec.toBytes(sample)))).isEqualTo(sample);
    }

    @Test
    void aSampleWrittenBeforeEvidenceExistedReadsUnchanged() {
        Sample plain = BatchCodecTest.sample("web", Outcome.TIMEOUT, "timed out after 5000 ms");
        byte[] bytes = SampleCodec.toBytes(plain);

        assertThat(SampleCodec.read(ByteBuffer.wrap(bytes))).isEqualTo(plain);
        assertThat(bytes.length).isLessThan(60);
    }

    @Test
    void anErrorOnlyEvidenceTakesAFewBytesMoreThanItsText() {
        Evidence error = Evidence.bounded(null, null, null, null, false, null, null, "connection refused");

        assertThat(EvidenceCodec.encodedLength(error)).isEqualTo(1 + 1 + 1 + "connection refused".length());
    }

    @Test
    void aVersionTwoBatchIsStillReadAndAnUnknownVersionIsNamed() {
        byte[] bytes = BatchCodec.encode(7, UUID.randomUUID(), List.of(),
                List.of(new SampleRecord(1, BatchCodecTest.sample("web", Outcome.OK, ""))));
        bytes[4] = 2;
        assertThat(BatchCodec.decode(bytes).records()).hasSize(1);

        bytes[4] = 4;
        assertThatThrownBy(() -> BatchCodec.decode(bytes)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unsupported batch version 4 (this collector reads 2..3)");
    }

    @Test
    void boundedCutsHugeInputToTheLimitGivingUpTheBodyFirst() {
        List<Evidence.Header> headers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            headers.add(Evidence.header("X-Header-" + i, "v".repeat(2_000)));
        }
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add("A 127.0.0." + i + " ttl=30 " + "x".repeat(400));
        }
        List<Evidence.Certificate> chain = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            chain.add(Evidence.certificate("CN=" + "s".repeat(900), "CN=" + "i".repeat(900), 0, 1, SHA));
        }

        Evidence evidence = Evidence.bounded("a".repeat(500), "HTTP/1.1 500 " + "x".repeat(500), headers,
                "é".repeat(5_000), false, answers, chain, "e".repeat(5_000));

        assertThat(EvidenceCodec.encodedLength(evidence)).isLessThanOrEqualTo(Evidence.MAX_ENCODED_BYTES);
        assertThat(evidence.body()).isEmpty();
        assertThat(evidence.bodyTruncated()).isTrue();
        assertThat(evidence.error()).hasSize(Evidence.MAX_ERROR_BYTES);
        assertThat(SampleCodec.read(ByteBuffer.wrap(SampleCodec.toBytes(failing(evidence)))).evidence())
                .contains(evidence);
    }

    @Test
    void boundedKeepsTheBodyThatFits() {
        Evidence evidence = Evidence.bounded("127.0.0.1:80", "HTTP/1.1 502 Bad Gateway", List.of(),
                "x".repeat(3_000), false, List.of(), List.of(), "");

        assertThat(evidence.body()).hasSize(Evidence.MAX_BODY_BYTES);
        assertThat(evidence.bodyTruncated()).isTrue();
    }

    @Test
    void theConstructorNamesAFieldOverItsBound() {
        assertThatThrownBy(() -> new Evidence("", "x".repeat(201), List.of(), "", false, List.of(), List.of(), ""))
                .hasMessage("statusLine must be at most 200 bytes (was 201)");
        assertThatThrownBy(() -> new Evidence.Certificate("CN=a", "CN=b", 0, 1, "ABC"))
                .hasMessageContaining("certificate sha256 must be 64 lower-case hex digits (was 'ABC')");
    }

    @Test
    void aFieldFromANewerAgentIsSkipped() {
        ByteBuffer out = ByteBuffer.allocate(200);
        EvidenceCodec.write(new Evidence("", "", List.of(), "", false, List.of(), List.of(), "refused"), out);
        out.put((byte) 99).put((byte) 3).put(new byte[] {1, 2, 3});
        out.flip();

        assertThat(EvidenceCodec.read(out).error()).isEqualTo("refused");
    }

    @Test
    void aTruncatedEvidenceNamesTheField() {
        byte[] bytes = SampleCodec.toBytes(failing(full()));
        ByteBuffer cut = ByteBuffer.wrap(bytes, 0, bytes.length - 5).slice();

        assertThatThrownBy(() -> SampleCodec.read(cut)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("evidence");
    }
}
