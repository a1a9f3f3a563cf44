package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames an {@link Ack}:
 *
 * <pre>
 * magic      "VGLA"
 * version    u8 = 2
 * epoch      i64
 * ackedIndex i64
 * ackedGap   i64
 * accepted   u32
 * duplicates u32
 * rejected   u32, then per rejection: journalIndex i64, reason u8, message (u16 length + UTF-8)
 * </pre>
 */
public final class AckCodec {
    /** The media type of an encoded ack. */
    public static final String MEDIA_TYPE = "application/vnd.vigil.ack";

    private static final byte[] MAGIC = {'V', 'G', 'L', 'A'};
    private static final int VERSION = 2;
    private static final int FIXED_BYTES = MAGIC.length + 1 + 8 * 3 + 4 * 3;
    private static final int MAX_MESSAGE_BYTES = 1_000;

    private AckCodec() {
    }

    /** Encodes {@code ack}; rejection messages are cut to 1,000 bytes. */
    public static byte[] encode(Ack ack) {
        List<byte[]> messages = new ArrayList<>(ack.rejections().size());
        int length = FIXED_BYTES;
        for (Rejection rejection : ack.rejections()) {
            byte[] message = Utf8.truncate(rejection.message(), MAX_MESSAGE_BYTES).getBytes(StandardCharsets.UTF_8);
            messages.add(message);
            length += 8 + 1 + 2 + message.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length)
                .put(MAGIC)
                .put((byte) VERSION)
                .putLong(ack.epoch())
                .putLong(ack.ackedIndex())
                .putLong(ack.ackedGap())
                .putInt(ack.accepted())
                .putInt(ack.duplicates())
                .putInt(ack.rejections().size());
        for (int i = 0; i < messages.size(); i++) {
            Rejection rejection = ack.rejections().get(i);
            out.putLong(rejection.journalIndex()).put((byte) rejection.reason().code())
                    .putShort((short) messages.get(i).length).put(messages.get(i));
        }
        return out.array();
    }

    /**
     * Decodes an ack.
     *
     * @throws ProtocolException when the bytes are not an ack of this version
     */
    public static Ack decode(byte[] bytes) {
        if (bytes.length < FIXED_BYTES) {
            throw new ProtocolException("ack must be at least " + FIXED_BYTES + " bytes (was " + bytes.length + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get() != MAGIC[i]) {
                throw new ProtocolException("not a Vigil ack: bad magic at byte " + i);
            }
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new ProtocolException("unsupported ack version " + version + " (this agent reads " + VERSION + ")");
        }
        long epoch = in.getLong();
        long acked = in.getLong();
        long ackedGap = in.getLong();
        long accepted = in.getInt() & 0xFFFFFFFFL;
        long duplicates = in.getInt() & 0xFFFFFFFFL;
        long rejected = in.getInt() & 0xFFFFFFFFL;
        if (rejected > in.remaining() / 11) {
            throw new ProtocolException("ack declares " + rejected + " rejections in " + in.remaining() + " bytes");
        }
        List<Rejection> rejections = new ArrayList<>((int) rejected);
        try {
            for (int i = 0; i < rejected; i++) {
                long index = in.getLong();
                RejectionReason reason = RejectionReason.ofCode(in.get() & 0xFF);
                int length = in.getShort() & 0xFFFF;
                if (length > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                String message = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
                rejections.add(new Rejection(index, reason, message));
            }
            if (in.hasRemaining()) {
                throw new ProtocolException(in.remaining() + " trailing bytes after the ack at byte " + in.position());
            }
            return new Ack(epoch, acked, ackedGap, Math.toIntExact(accepted), Math.toIntExact(duplicates), rejections);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated ack at byte " + in.position());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ProtocolException("invalid ack: " + e.getMessage());
        }
    }
}
