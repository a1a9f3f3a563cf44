package dev.vigil.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damages encoded bytes the ways a broken or hostile sender would: bit flips, boundary bytes, hostile
 * length prefixes and counts (varints of every width up to an 11-byte one, non-canonical ones),
 * truncation, splicing two inputs, duplicated and removed ranges, garbage. Each call applies one
 * mutation chosen by the seeded random source, so a case is reproduced by its seed.
 */
final class Mutator {
    /** Byte values on a boundary: zero, sign bit, varint continuation bit, all ones. */
    static final int[] EDGE_BYTES = {0x00, 0x01, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF};

    /** Encodings a hostile length or count could take, as varints. */
    static final byte[][] HOSTILE_VARINTS = {
        varint(0), varint(1), varint(0x7F), varint(0x80), varint(0xFF), varint(0xFFFF), varint(0x7FFF_FFFFL),
        varint(0x8000_0000L), varint(0xFFFF_FFFFL), varint(0x1_0000_0000L), varint(Long.MAX_VALUE),
        varint(Long.MIN_VALUE), varint(-1), varint(-2), varint(SampleCodec.MAX_ENCODED_BYTES),
        varint(SampleCodec.MAX_ENCODED_BYTES + 1L), varint(Sample.MAX_CHECK_ID_BYTES + 1L),
        varint(Sample.MAX_DETAIL_BYTES + 1L),
        // Non-canonical zero and one, and varints one byte too long: 10 bytes of more-bits then 0x01 or 0x00.
        {(byte) 0x80, 0x00}, {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x00},
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, 0x7F},
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, 0x01},
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x00},
        {(byte) 0x80, (byte) 0x80, (byte) 0x80},
    };

    /** Fixed-width counts a hostile sender could declare. */
    static final long[] HOSTILE_COUNTS = {0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, BatchCodec.MAX_GAPS, BatchCodec.MAX_GAPS + 1,
        BatchCodec.MAX_RECORDS, BatchCodec.MAX_RECORDS + 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    private final SplittableRandom random;

    Mutator(SplittableRandom random) {
        this.random = random;
    }

    /**
     * One mutation of {@code bytes}.
     *
     * @param varintsAt offsets of varint fields in {@code bytes}, possibly empty
     * @param countsAt  offsets of big-endian counts and their widths (pairs: offset, width), possibly empty
     * @param other     another valid input, for splicing
     */
    byte[] mutate(byte[] bytes, List<Integer> varintsAt, int[] countsAt, byte[] other) {
        int choice = random.nextInt(12);
        if (bytes.length == 0 && choice < 8) {
            return garbage(1 + random.nextInt(64));
        }
        return switch (choice) {
            case 0 -> flipBits(bytes);
            case 1 -> overwriteWithEdgeByte(bytes);
            case 2, 3 -> varintsAt.isEmpty() ? flipBits(bytes) : hostileVarint(bytes, varintsAt);
            case 4 -> countsAt.length == 0 ? overwriteWithEdgeByte(bytes) : hostileCount(bytes, countsAt);
            case 5 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 6 -> duplicateRange(bytes);
            case 7 -> removeRange(bytes);
            case 8 -> splice(bytes, other);
            case 9 -> insert(bytes, garbage(1 + random.nextInt(16)));
            case 10 -> garbageAfterPrefix(bytes);
            default -> garbage(random.nextInt(200));
        };
    }

    private byte[] flipBits(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] overwriteWithEdgeByte(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            out[random.nextInt(out.length)] = (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
        }
        return out;
    }

    /** Replaces the varint at one of {@code varintsAt} with a hostile one, of whatever length. */
    private byte[] hostileVarint(byte[] bytes, List<Integer> varintsAt) {
        int at = varintsAt.get(random.nextInt(varintsAt.size()));
        int end = at;
        while (end < bytes.length && bytes[end] < 0) {
            end++;
        }
        end = Math.min(end + 1, bytes.length);
        byte[] replacement = HOSTILE_VARINTS[random.nextInt(HOSTILE_VARINTS.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + replacement.length);
        out.write(bytes, 0, at);
        out.write(replacement, 0, replacement.length);
        out.write(bytes, end, bytes.length - end);
        return out.toByteArray();
    }

    private byte[] hostileCount(byte[] bytes, int[] countsAt) {
        int pair = random.nextInt(countsAt.length / 2) * 2;
        int at = countsAt[pair];
        int width = countsAt[pair + 1];
        byte[] out = bytes.clone();
        long value = HOSTILE_COUNTS[random.nextInt(HOSTILE_COUNTS.length)];
        for (int i = 0; i < width && at + i < out.length; i++) {
            out[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
        return out;
    }

    private byte[] duplicateRange(byte[] bytes) {
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(bytes.length - from, 200));
        int at = random.nextInt(bytes.length + 1);
        return insert(bytes, at, Arrays.copyOfRange(bytes, from, from + length));
    }

    private byte[] removeRange(byte[] bytes) {
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(bytes.length - from, 200));
        byte[] out = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(bytes, from + length, out, from, bytes.length - from - length);
        return out;
    }

    /** The head of one input and the tail of the other, cut at independent places. */
    private byte[] splice(byte[] bytes, byte[] other) {
        int head = random.nextInt(bytes.length + 1);
        int tail = random.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(bytes, head + other.length - tail);
        System.arraycopy(other, tail, out, head, other.length - tail);
        return out;
    }

    private byte[] insert(byte[] bytes, byte[] inserted) {
        return insert(bytes, random.nextInt(bytes.length + 1), inserted);
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    private byte[] garbageAfterPrefix(byte[] bytes) {
        int keep = random.nextInt(bytes.length + 1);
        byte[] tail = garbage(random.nextInt(100));
        byte[] out = Arrays.copyOf(bytes, keep + tail.length);
        System.arraycopy(tail, 0, out, keep, tail.length);
        return out;
    }

    byte[] garbage(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = random.nextInt(4) == 0 ? (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]
                    : (byte) random.nextInt(256);
        }
        return out;
    }

    static byte[] varint(long value) {
        byte[] out = new byte[Varint.MAX_BYTES];
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(out);
        Varint.write(value, buffer);
        return Arrays.copyOf(out, buffer.position());
    }
}
