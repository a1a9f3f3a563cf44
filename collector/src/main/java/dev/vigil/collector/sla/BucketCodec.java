package dev.vigil.collector.sla;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The byte form of one block: a 15-minute bucket, or the merge of a UTC day's or week's buckets. A
 * block holds the sample count, the failure count and the successful latencies as a sorted list of
 * {@link LatencyScale} indexes:
 *
 * <pre>
 * varint samples &lt;&lt; 1 | (failures &gt; 0 ? 1 : 0), and only if failures &gt; 0: varint failures
 * if samples &gt; failures:
 *   byte mode: bit 7 set = PAIRS, bits 0..5 = k of the gaps
 *   PAIRS only: byte k of the counts
 *   bits, most significant first, padded with zeros to a whole byte:
 *     the first index in {@value LatencyScale#INDEX_BITS} bits, then
 *     SAMPLES: every sample's index as the exp-Golomb(k) coded gap to the one before (0 = the same)
 *     PAIRS:   count − 1 of the first index, then per further distinct index
 *              gap − 1 and count − 1, exp-Golomb coded with their own k
 * </pre>
 *
 * <p>Why this form: successive latencies of a sorted bucket lie close together (a 15-minute bucket of
 * a check run every 30 s holds 30 samples spread over a few thousand indexes), so their gaps take 6 to
 * 9 bits where the index itself takes 15. Exp-Golomb codes a gap {@code x} with
 * {@code 2·⌊log2(x + 2^k)⌋ − k + 1} bits: as short as a Rice code near the typical gap, and a sample
 * in the slow tail costs about 20 bits rather than hundreds. SAMPLES suits sparse buckets where most
 * samples have an index of their own; PAIRS suits a day's merge where indexes repeat; the encoder
 * computes the exact length of both for a few {@code k} around the mean gap and keeps the shortest.
 * Decoding stops after {@code samples − failures} successful samples, so no entry count is stored.
 */
final class BucketCodec {
    private static final int PAIRS = 0x80;
    private static final int K_MASK = 0x3F;
    private static final int MAX_K = 31;
    /** Bits of a word read at any bit position that are real: 64 minus up to 7 shifted out. */
    private static final int WINDOW_BITS = 57;
    private static final VarHandle LONG_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BucketCodec() {
    }

    /**
     * Appends the block of {@code histogram} to {@code out}.
     *
     * @param histogram samples, failures and successful latencies; its counts sum to
     *                  {@code samples − failures}
     */
    static void encode(SparseHistogram histogram, Writer out) {
        // Most buckets have no failure: a flag beside the sample count saves their failure count's byte.
        out.writeVarLong(histogram.samples << 1 | (histogram.failures > 0 ? 1 : 0));
        if (histogram.failures > 0) {
            out.writeVarLong(histogram.failures);
        }
        if (histogram.size == 0) {
            return;
        }
        int[] indices = histogram.indices;
        long[] counts = histogram.counts;
        int size = histogram.size;
        long successes = histogram.successes();

        long spread = indices[size - 1] - indices[0];
        int samplesK = bestK(spread / Math.max(1, successes - 1), k -> samplesCost(indices, counts, size, k));
        long samplesBits = samplesCost(indices, counts, size, samplesK);

        int gapK = bestK(Math.max(0, spread - (size - 1)) / Math.max(1, size - 1),
                k -> pairGapsCost(indices, size, k));
        int countK = bestK((successes - size) / size, k -> pairCountsCost(counts, size, k));
        long pairsBits = 8 + pairGapsCost(indices, size, gapK) + pairCountsCost(counts, size, countK);

        if (samplesBits <= pairsBits) {
            out.writeByte(samplesK);
            out.writeBits(indices[0], LatencyScale.INDEX_BITS);
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    out.writeExpGolomb(indices[i] - indices[i - 1], samplesK);
                }
                for (long repeat = counts[i]; repeat > 1; repeat--) {
                    out.writeExpGolomb(0, samplesK);
                }
            }
        } else {
            out.writeByte(PAIRS | gapK);
            out.writeByte(countK);
            out.writeBits(indices[0], LatencyScale.INDEX_BITS);
            out.writeExpGolomb(counts[0] - 1, countK);
            for (int i = 1; i < size; i++) {
                out.writeExpGolomb(indices[i] - indices[i - 1] - 1L, gapK);
                out.writeExpGolomb(counts[i] - 1, countK);
            }
        }
        out.alignToByte();
    }

    private interface Cost {
        long bits(int k);
    }

    /** The k with the fewest bits among a few around the one a geometric distribution of that mean wants. */
    private static int bestK(long mean, Cost cost) {
        int guess = Math.min(MAX_K, 63 - Long.numberOfLeadingZeros(mean + 1));
        int best = -1;
        long bestBits = Long.MAX_VALUE;
        for (int k = Math.max(0, guess - 2); k <= Math.min(MAX_K, guess + 1); k++) {
            long bits = cost.bits(k);
            if (bits < bestBits) {
                bestBits = bits;
                best = k;
            }
        }
        return best;
    }

    private static long samplesCost(int[] indices, long[] counts, int size, int k) {
        long bits = 0;
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                bits += expGolombBits(indices[i] - indices[i - 1], k);
            }
            bits += (counts[i] - 1) * (k + 1);
        }
        return bits;
    }

    private static long pairGapsCost(int[] indices, int size, int k) {
        long bits = 0;
        for (int i = 1; i < size; i++) {
            bits += expGolombBits(indices[i] - indices[i - 1] - 1L, k);
        }
        return bits;
    }

    private static long pairCountsCost(long[] counts, int size, int k) {
        long bits = 0;
        for (int i = 0; i < size; i++) {
            bits += expGolombBits(counts[i] - 1, k);
        }
        return bits;
    }

    private static int expGolombBits(long value, int k) {
        int width = 64 - Long.numberOfLeadingZeros(value + (1L << k));
        return 2 * width - k - 1;
    }

    /**
     * Reads the block at {@code offset} of {@code bytes} into {@code into} (cleared first).
     *
     * @return the offset after the block
     */
    static int decode(byte[] bytes, int offset, Reader reader, SparseHistogram into) {
        into.clear();
        reader.open(bytes, offset);
        into.samples = reader.samples;
        into.failures = reader.failures;
        while (reader.next()) {
            into.append(reader.index, reader.count);
        }
        return reader.end();
    }

    /**
     * A growable byte array written in whole bytes (varints) or bits, most significant bit first. Not
     * thread-safe.
     */
    static final class Writer {
        private byte[] bytes;
        private int size;
        private long pendingBits;
        private int pendingCount;

        Writer() {
            this(64);
        }

        Writer(int capacity) {
            bytes = new byte[Math.max(8, capacity)];
        }

        /** Bytes written so far, pending bits not counted. */
        int size() {
            return size;
        }

        void reset() {
            size = 0;
            pendingBits = 0;
            pendingCount = 0;
        }

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeBytes(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        /** Appends everything {@code other} holds; its pending bits must be aligned first. */
        void writeAll(Writer other) {
            writeBytes(other.bytes, 0, other.size);
        }

        void writeVarLong(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                writeByte((int) (rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            writeByte((int) rest);
        }

        /** The low {@code count} bits of {@code value}, {@code count} 0..57. */
        void writeBits(long value, int count) {
            if (count == 0) {
                return;
            }
            pendingBits = (pendingBits << count) | (value & (-1L >>> (64 - count)));
            pendingCount += count;
            while (pendingCount >= 8) {
                pendingCount -= 8;
                writeByte((int) (pendingBits >>> pendingCount));
            }
        }

        /** {@code value} ≥ 0 as an exp-Golomb code of order {@code k}. */
        void writeExpGolomb(long value, int k) {
            long shifted = value + (1L << k);
            int width = 64 - Long.numberOfLeadingZeros(shifted);
            int zeros = width - k - 1;
            while (zeros > 0) {
                int chunk = Math.min(zeros, 32);
                writeBits(0, chunk);
                zeros -= chunk;
            }
            if (width > 32) {
                writeBits(shifted >>> 32, width - 32);
                writeBits(shifted, 32);
            } else {
                writeBits(shifted, width);
            }
        }

        /** Pads the pending bits with zeros to a whole byte. */
        void alignToByte() {
            if (pendingCount > 0) {
                writeBits(0, 8 - pendingCount);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /**
     * Reads one block after the other: {@link #open} reads the header, {@link #next} each distinct
     * index (or, in SAMPLES mode, each sample) with its count. Reusable, not thread-safe.
     */
    static final class Reader {
        private byte[] bytes;
        private int bytePosition;
        private long bitPosition;
        long samples;
        long failures;
        private long remaining;
        private boolean pairs;
        private boolean started;
        private int gapK;
        private int countK;
        /** The current entry, valid after {@link #next} returned true. */
        int index;
        long count;

        /** Reads the header of the block at {@code offset}. */
        void open(byte[] source, int offset) {
            bytes = source;
            bytePosition = offset;
            long samplesAndFlag = readVarLong();
            samples = samplesAndFlag >>> 1;
            failures = (samplesAndFlag & 1) == 0 ? 0 : readVarLong();
            remaining = samples - failures;
            if (failures < 0 || remaining < 0) {
                throw corrupt("failures " + failures + " of " + samples + " samples");
            }
            started = false;
            if (remaining > 0) {
                int mode = readByte();
                pairs = (mode & PAIRS) != 0;
                gapK = mode & K_MASK;
                countK = pairs ? readByte() : gapK;
                if (gapK > MAX_K || countK > MAX_K) {
                    throw corrupt("code parameter out of range");
                }
            }
            bitPosition = (long) bytePosition << 3;
        }

        private int readByte() {
            if (bytePosition >= bytes.length) {
                throw corrupt("header runs past the block");
            }
            return bytes[bytePosition++] & 0xFF;
        }

        private long readVarLong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                value |= (long) (b & 0x7F) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
            throw corrupt("varint too long");
        }

        /** Moves to the next entry; false once all successful samples have been read. */
        boolean next() {
            if (remaining == 0) {
                return false;
            }
            if (!started) {
                started = true;
                index = (int) readBits(LatencyScale.INDEX_BITS);
                count = pairs ? readExpGolomb(countK) + 1 : 1;
            } else if (pairs) {
                index += (int) readExpGolomb(gapK) + 1;
                count = readExpGolomb(countK) + 1;
            } else {
                index += (int) readExpGolomb(gapK);
                count = 1;
            }
            remaining -= count;
            if (remaining < 0 || index >= LatencyScale.INDEX_COUNT) {
                throw corrupt("entry out of range");
            }
            return true;
        }

        /**
         * Adds every entry of the block to {@code counts[index]}: the query's hot loop, so it keeps its
         * state in locals and reads one 64-bit word per code.
         *
         * @return the lowest index added, or -1 when the block has no successful sample; {@link #index}
         *         is then the highest
         */
        int addAllTo(long[] counts) {
            if (remaining == 0 || started) {
                throw new IllegalStateException("addAllTo needs a freshly opened block with successes");
            }
            byte[] source = bytes;
            long bit = bitPosition;
            long left = remaining;
            int k = gapK;
            int current = (int) (wordAt(source, bit) >>> (64 - LatencyScale.INDEX_BITS));
            bit += LatencyScale.INDEX_BITS;
            int lowest = current;
            // A window of the next bits: codes average 6 to 10 bits, so one load serves several codes.
            long window = wordAt(source, bit);
            int available = WINDOW_BITS;
            if (!pairs) {
                counts[current]++;
                left--;
                long kOffset = 1L << k;
                while (left > 0) {
                    int zeros = Long.numberOfLeadingZeros(window);
                    int length = 2 * zeros + k + 1;
                    if (length > available) {
                        window = wordAt(source, bit);
                        available = WINDOW_BITS;
                        zeros = Long.numberOfLeadingZeros(window);
                        length = 2 * zeros + k + 1;
                        if (length > available) {
                            bitPosition = bit;
                            current += (int) readLongExpGolomb(k);
                            bit = bitPosition;
                            window = wordAt(source, bit);
                            counts[current]++;
                            left--;
                            continue;
                        }
                    }
                    current += (int) (((window << zeros) >>> (63 - zeros - k)) - kOffset);
                    window <<= length;
                    available -= length;
                    bit += length;
                    counts[current]++;
                    left--;
                }
            } else {
                int countK = this.countK;
                long count = 0;
                boolean gapNext = false;
                while (left > 0) {
                    int codeK = gapNext ? k : countK;
                    int zeros = Long.numberOfLeadingZeros(window);
                    int length = 2 * zeros + codeK + 1;
                    long value;
                    if (length > available) {
                        window = wordAt(source, bit);
                        available = WINDOW_BITS;
                        zeros = Long.numberOfLeadingZeros(window);
                        length = 2 * zeros + codeK + 1;
                    }
                    if (length <= available) {
                        value = ((window << zeros) >>> (63 - zeros - codeK)) - (1L << codeK);
                        window <<= length;
                        available -= length;
                        bit += length;
                    } else {
                        bitPosition = bit;
                        value = readLongExpGolomb(codeK);
                        bit = bitPosition;
                        window = wordAt(source, bit);
                        available = WINDOW_BITS;
                    }
                    if (gapNext) {
                        current += (int) value + 1;
                    } else {
                        count = value + 1;
                        counts[current] += count;
                        left -= count;
                    }
                    gapNext = !gapNext;
                }
            }
            if (left < 0) {
                throw corrupt("counts exceed the successes");
            }
            bitPosition = bit;
            remaining = 0;
            started = true;
            index = current;
            return lowest;
        }

        /** The offset after the block; valid once {@link #next} has returned false. */
        int end() {
            return (int) ((bitPosition + 7) >>> 3);
        }

        private long readBits(int count) {
            long value = peek() >>> (64 - count);
            bitPosition += count;
            return value;
        }

        private long readExpGolomb(int k) {
            long window = peek();
            int zeros = Long.numberOfLeadingZeros(window);
            int width = zeros + k + 1;
            if (zeros + width <= 57) {
                bitPosition += zeros + width;
                return ((window << zeros) >>> (64 - width)) - (1L << k);
            }
            return readLongExpGolomb(k);
        }

        /** The rare code longer than one peek: huge counts, or corrupt bytes. */
        private long readLongExpGolomb(int k) {
            int zeros = 0;
            while (true) {
                int run = Long.numberOfLeadingZeros(peek());
                if (run < 57) {
                    zeros += run;
                    bitPosition += run;
                    break;
                }
                zeros += 57;
                bitPosition += 57;
                if (zeros > 62 || bitPosition > (long) bytes.length << 3) {
                    throw corrupt("code runs past the block");
                }
            }
            int width = zeros + k + 1;
            if (width > 62) {
                throw corrupt("code too long");
            }
            long value = width > 32 ? readBits(width - 32) << 32 | readBits(32) : readBits(width);
            return value - (1L << k);
        }

        private long peek() {
            return wordAt(bytes, bitPosition);
        }
    }

    /** The 64 bits from {@code bit} on, of which at least 57 are real; zeros past the array. */
    private static long wordAt(byte[] bytes, long bit) {
        int byteIndex = (int) (bit >>> 3);
        long word;
        if (byteIndex + 8 <= bytes.length) {
            word = (long) LONG_BIG_ENDIAN.get(bytes, byteIndex);
        } else {
            word = 0;
            for (int i = 0; i < 8; i++) {
                word = word << 8 | (byteIndex + i < bytes.length ? bytes[byteIndex + i] & 0xFF : 0);
            }
        }
        return word << (bit & 7);
    }

    /**
     * The unsigned LEB128 varint of at most 31 bits at {@code offset}, packed with the offset after it
     * as {@code value << 32 | nextOffset}, so that walking a day's buckets allocates nothing.
     */
    static long varIntAt(byte[] bytes, int offset) {
        int value = 0;
        int position = offset;
        for (int shift = 0; shift < 32; shift += 7) {
            if (position >= bytes.length) {
                throw corrupt("length runs past the day");
            }
            int b = bytes[position++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0) {
                    break;
                }
                return (long) value << 32 | position;
            }
        }
        throw corrupt("length out of range");
    }

    static IllegalStateException corrupt(String what) {
        return new IllegalStateException("corrupt latency block: " + what);
    }
}
