package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 variable-length integers (7 bits per byte, low bits first, high bit = more) and
 * their zigzag form for signed values. Package-private: the codecs' building block.
 */
final class Varint {
    /** The most bytes a 64-bit value takes. */
    static final int MAX_BYTES = 10;

    private Varint() {
    }

    /** Bytes {@link #write} uses for {@code value}, read as unsigned. */
    static int length(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    static void write(long value, ByteBuffer out) {
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    /**
     * Reads one value.
     *
     * @throws BufferUnderflowException when the bytes end inside it
     * @throws ProtocolException        when it runs over {@value #MAX_BYTES} bytes or 64 bits
     */
    static long read(ByteBuffer in) {
        int start = in.position();
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            if (shift == 63 && (b & 0xFE) != 0) {
                break;
            }
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new ProtocolException("variable-length integer at byte " + start + " is longer than 64 bits");
    }

    static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }
}
