package dev.vigil.collector.ingest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages an ingest body the ways a broken or hostile agent would: bit flips, boundary bytes, hostile
 * counts in the header, a newer version, truncation, splices, duplicated and removed ranges, garbage.
 * The decoder-level mutator in the protocol module's tests is richer; this one aims at what the endpoint
 * does with the result.
 */
final class BodyMutator {
    private static final int[] EDGE_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE};
    /** Magic, version, epoch, instance: the gap count follows. */
    private static final int GAP_COUNT_AT = 29;

    private final SplittableRandom random;

    BodyMutator(SplittableRandom random) {
        this.random = random;
    }

    byte[] mutate(byte[] body, byte[] other) {
        if (body.length == 0) {
            return garbage(random.nextInt(64));
        }
        byte[] out = body.clone();
        switch (random.nextInt(11)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(6); i > 0; i--) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> out[random.nextInt(out.length)] = (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
            case 2 -> {
                // A count in the header: gap count (u16) or, with no gaps, the record count (u32).
                int at = GAP_COUNT_AT + random.nextInt(6);
                if (at < out.length) {
                    out[at] = (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
                }
            }
            case 3 -> {
                if (out.length > 4) {
                    out[4] = (byte) (random.nextBoolean() ? 3 : random.nextInt(256));
                }
            }
            case 4 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 5 -> {
                int from = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(out.length - from, 120));
                out = insert(out, random.nextInt(out.length + 1), Arrays.copyOfRange(out, from, from + length));
            }
            case 6 -> {
                int from = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(out.length - from, 120));
                byte[] shorter = new byte[out.length - length];
                System.arraycopy(out, 0, shorter, 0, from);
                System.arraycopy(out, from + length, shorter, from, out.length - from - length);
                out = shorter;
            }
            case 7 -> {
                int head = random.nextInt(out.length + 1);
                int tail = random.nextInt(other.length + 1);
                out = Arrays.copyOf(out, head + other.length - tail);
                System.arraycopy(other, tail, out, head, other.length - tail);
            }
            case 8 -> out = insert(out, random.nextInt(out.length + 1), garbage(1 + random.nextInt(12)));
            case 9 -> {
                // An unknown outcome code somewhere: a sample from a newer agent, or a damaged one.
                out[random.nextInt(out.length)] = (byte) (20 + random.nextInt(236));
            }
            default -> out = garbage(random.nextInt(300));
        }
        return out;
    }

    private byte[] garbage(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }
}
