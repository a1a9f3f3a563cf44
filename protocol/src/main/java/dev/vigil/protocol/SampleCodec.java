package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one binary form of a {@link Sample}, used on the wire and in both journals. Compact: integers
 * are unsigned LEB128 varints ({@code uv}), so a typical sample takes 25–40 bytes.
 *
 * <pre>
 * checkId              uv length + UTF-8
 * scheduledEpochMillis uv, zigzag-encoded (signed)
 * startLagNanos        uv
 * outcome              u8   ({@link Outcome#code()})
 * dnsNanos             uv of nanos + 1 (0 = not measured)
 * connectNanos         uv of nanos + 1
 * tlsNanos             uv of nanos + 1
 * firstByteNanos       uv of nanos + 1
 * totalNanos           uv
 * statusCode           uv   (0..65535)
 * detail               uv length + UTF-8
 * evidence             only when present: uv length (1..{@value Evidence#MAX_ENCODED_BYTES}) + {@link EvidenceCodec}
 * </pre>
 *
 * The evidence is the last field and only there when bytes follow the detail, so samples journaled
 * before it existed read unchanged: a reader is always given exactly one sample's bytes.
 */
public final class SampleCodec {
    /** The most bytes {@link #write} uses for any valid sample: size a reusable buffer with it. */
    public static final int MAX_ENCODED_BYTES = 2 + Sample.MAX_CHECK_ID_BYTES + Varint.MAX_BYTES * 7 + 1 + 3
            + 2 + Sample.MAX_DETAIL_BYTES + 2 + Evidence.MAX_ENCODED_BYTES;

    private SampleCodec() {
    }

    /** The number of bytes {@link #write} uses for {@code sample}. */
    public static int encodedLength(Sample sample) {
        int checkId = Utf8.length(sample.checkId());
        int detail = Utf8.length(sample.detail());
        return Varint.length(checkId) + checkId
                + Varint.length(Varint.zigzag(sample.scheduledEpochMillis()))
                + Varint.length(sample.startLagNanos())
                + 1
                + Varint.length(sample.dnsNanos() + 1)
                + Varint.length(sample.connectNanos() + 1)
                + Varint.length(sample.tlsNanos() + 1)
                + Varint.length(sample.firstByteNanos() + 1)
                + Varint.length(sample.totalNanos())
                + Varint.length(sample.statusCode())
                + Varint.length(detail) + detail
                + sample.evidence().map(SampleCodec::evidenceLength).orElse(0);
    }

    private static int evidenceLength(Evidence evidence) {
        int length = EvidenceCodec.encodedLength(evidence);
        return Varint.length(length) + length;
    }

    /** Writes {@code sample} at the buffer's position, advancing it. */
    public static void write(Sample sample, ByteBuffer out) {
        writeString(sample.checkId(), out);
        Varint.write(Varint.zigzag(sample.scheduledEpochMillis()), out);
        Varint.write(sample.startLagNanos(), out);
        out.put((byte) sample.outcome().code());
        Varint.write(sample.dnsNanos() + 1, out);
        Varint.write(sample.connectNanos() + 1, out);
        Varint.write(sample.tlsNanos() + 1, out);
        Varint.write(sample.firstByteNanos() + 1, out);
        Varint.write(sample.totalNanos(), out);
        Varint.write(sample.statusCode(), out);
        writeString(sample.detail(), out);
        if (sample.evidence().isPresent()) {
            Evidence evidence = sample.evidence().get();
            Varint.write(EvidenceCodec.encodedLength(evidence), out);
            EvidenceCodec.write(evidence, out);
        }
    }

    /** The sample as a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] toBytes(Sample sample) {
        ByteBuffer buffer = ByteBuffer.allocate(encodedLength(sample));
        write(sample, buffer);
        return buffer.array();
    }

    /**
     * Reads one sample from the buffer's position to its limit, advancing it: the buffer must hold exactly
     * one sample, because its evidence is whatever follows the detail.
     *
     * @throws ProtocolException naming the field and byte offset when the bytes are not a sample; an
     *                           {@link UnknownOutcomeException} when only the outcome code is unknown
     */
    public static Sample read(ByteBuffer in) {
        int start = in.position();
        String field = "checkId";
        try {
            String checkId = readString(in, Sample.MAX_CHECK_ID_BYTES);
            field = "scheduledEpochMillis";
            long scheduled = Varint.unzigzag(Varint.read(in));
            field = "startLagNanos";
            long lag = Varint.read(in);
            field = "outcome";
            int code = in.get() & 0xFF;
            Outcome outcome = Outcome.isKnown(code) ? Outcome.ofCode(code) : null;
            field = "dnsNanos";
            long dns = Varint.read(in) - 1;
            field = "connectNanos";
            long connect = Varint.read(in) - 1;
            field = "tlsNanos";
            long tls = Varint.read(in) - 1;
            field = "firstByteNanos";
            long firstByte = Varint.read(in) - 1;
            field = "totalNanos";
            long total = Varint.read(in);
            field = "statusCode";
            long status = Varint.read(in);
            if (status > 65535) {
                throw new ProtocolException("status code " + status + " is over 65535");
            }
            field = "detail";
            String detail = readString(in, Sample.MAX_DETAIL_BYTES);
            Optional<Evidence> evidence = Optional.empty();
            if (in.hasRemaining()) {
                field = "evidence";
                long length = Varint.read(in);
                if (length < 1 || length > Evidence.MAX_ENCODED_BYTES) {
                    throw new ProtocolException("evidence length " + length + " is outside 1.."
                            + Evidence.MAX_ENCODED_BYTES);
                }
                if (length > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                ByteBuffer evidenceBytes = in.duplicate().limit(in.position() + (int) length);
                in.position(in.position() + (int) length);
                evidence = Optional.of(EvidenceCodec.read(evidenceBytes));
            }
            if (outcome == null) {
                throw new UnknownOutcomeException("unknown outcome code " + code + " in sample at byte " + start
                        + " (check '" + checkId + "'): the collector is older than the agent");
            }
            field = "sample";
            return new Sample(checkId, scheduled, lag, outcome, dns, connect, tls, firstByte, total, (int) status,
                    detail, evidence);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated sample: " + field + " runs past the end at byte " + in.position()
                    + " (sample starts at byte " + start + ")");
        } catch (UnknownOutcomeException e) {
            throw e;
        } catch (IllegalArgumentException | ProtocolException e) {
            throw new ProtocolException("invalid " + field + " in sample at byte " + start + ": " + e.getMessage());
        }
    }

    private static void writeString(String text, ByteBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Varint.write(bytes.length, out);
        out.put(bytes);
    }

    private static String readString(ByteBuffer in, int maxBytes) {
        long length = Varint.read(in);
        // Unsigned: a 10-byte varint is a negative long, which must not slip under the limit.
        if (Long.compareUnsigned(length, maxBytes) > 0) {
            throw new ProtocolException("length " + Long.toUnsignedString(length) + " exceeds " + maxBytes + " bytes");
        }
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), (int) length, StandardCharsets.UTF_8);
        in.position(in.position() + (int) length);
        return text;
    }
}
