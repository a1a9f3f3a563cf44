package dev.vigil.protocol;

import java.nio.ByteBuffer;

/**
 * Frames an {@link Ack}: magic "VGLA", version u8 = 1, ackedIndex i64, accepted u32, duplicates u32.
 */
public final class AckCodec {
    /** The media type of an encoded ack. */
    public static final String MEDIA_TYPE = "application/vnd.vigil.ack";

    private static final byte[] MAGIC = {'V', 'G', 'L', 'A'};
    private static final int VERSION = 1;
    private static final int LENGTH = MAGIC.length + 1 + 8 + 4 + 4;

    private AckCodec() {
    }

    /** Encodes {@code ack}. */
    public static byte[] encode(Ack ack) {
        return ByteBuffer.allocate(LENGTH)
                .put(MAGIC)
                .put((byte) VERSION)
                .putLong(ack.ackedIndex())
                .putInt(ack.accepted())
                .putInt(ack.duplicates())
                .array();
    }

    /**
     * Decodes an ack.
     *
     * @throws ProtocolException when the bytes are not an ack of this version
     */
    public static Ack decode(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new ProtocolException("ack must be " + LENGTH + " bytes (was " + bytes.length + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get() != MAGIC[i]) {
                throw new ProtocolException("not a Vigil ack: bad magic at byte " + i);
            }
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new ProtocolException("unsupported ack version " + version);
        }
        long acked = in.getLong();
        long accepted = in.getInt() & 0xFFFFFFFFL;
        long duplicates = in.getInt() & 0xFFFFFFFFL;
        try {
            return new Ack(acked, Math.toIntExact(accepted), Math.toIntExact(duplicates));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ProtocolException("invalid ack: " + e.getMessage());
        }
    }
}
