package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one binary form of a {@link Sample}, used on the wire and in both journals. Big-endian:
 *
 * <pre>
 * checkId              u16 length + UTF-8
 * scheduledEpochMillis i64
 * startLagNanos        i64
 * outcome              u8   ({@link Outcome#code()})
 * dnsNanos             i64  (-1 = not measured)
 * connectNanos         i64
 * tlsNanos             i64
 * firstByteNanos       i64
 * totalNanos           i64
 * statusCode           u16
 * detail               u16 length + UTF-8
 * </pre>
 */
public final class SampleCodec {
    /** Bytes of a sample without its two strings. */
    static final int FIXED_BYTES = 2 + 8 + 8 + 1 + 8 * 5 + 2 + 2;
    /** The most bytes {@link #write} uses for any valid sample: size a reusable buffer with it. */
    public static final int MAX_ENCODED_BYTES = FIXED_BYTES + Sample.MAX_CHECK_ID_BYTES + Sample.MAX_DETAIL_BYTES;

    private SampleCodec() {
    }

    /** The number of bytes {@link #write} uses for {@code sample}. */
    public static int encodedLength(Sample sample) {
        return FIXED_BYTES + Utf8.length(sample.checkId()) + Utf8.length(sample.detail());
    }

    /** Writes {@code sample} at the buffer's position, advancing it. */
    public static void write(Sample sample, ByteBuffer out) {
        writeString(sample.checkId(), out);
        out.putLong(sample.scheduledEpochMillis());
        out.putLong(sample.startLagNanos());
        out.put((byte) sample.outcome().code());
        out.putLong(sample.dnsNanos());
        out.putLong(sample.connectNanos());
        out.putLong(sample.tlsNanos());
        out.putLong(sample.firstByteNanos());
        out.putLong(sample.totalNanos());
        out.putShort((short) sample.statusCode());
        writeString(sample.detail(), out);
    }

    /** The sample as a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] toBytes(Sample sample) {
        ByteBuffer buffer = ByteBuffer.allocate(encodedLength(sample));
        write(sample, buffer);
        return buffer.array();
    }

    /**
     * Reads one sample at the buffer's position, advancing it.
     *
     * @throws ProtocolException naming the field and byte offset when the bytes are not a sample
     */
    public static Sample read(ByteBuffer in) {
        int start = in.position();
        String field = "checkId";
        try {
            String checkId = readString(in, Sample.MAX_CHECK_ID_BYTES);
            field = "scheduledEpochMillis";
            long scheduled = in.getLong();
            field = "startLagNanos";
            long lag = in.getLong();
            field = "outcome";
            Outcome outcome = Outcome.ofCode(in.get() & 0xFF);
            field = "phases";
            long dns = in.getLong();
            long connect = in.getLong();
            long tls = in.getLong();
            long firstByte = in.getLong();
            long total = in.getLong();
            field = "statusCode";
            int status = in.getShort() & 0xFFFF;
            field = "detail";
            String detail = readString(in, Sample.MAX_DETAIL_BYTES);
            field = "sample";
            return new Sample(checkId, scheduled, lag, outcome, dns, connect, tls, firstByte, total, status, detail);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated sample: " + field + " runs past the end at byte " + in.position()
                    + " (sample starts at byte " + start + ")");
        } catch (IllegalArgumentException | ProtocolException e) {
            throw new ProtocolException("invalid " + field + " in sample at byte " + start + ": " + e.getMessage());
        }
    }

    private static void writeString(String text, ByteBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length);
        out.put(bytes);
    }

    private static String readString(ByteBuffer in, int maxBytes) {
        int length = in.getShort() & 0xFFFF;
        if (length > maxBytes) {
            throw new ProtocolException("length " + length + " exceeds " + maxBytes + " bytes");
        }
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
