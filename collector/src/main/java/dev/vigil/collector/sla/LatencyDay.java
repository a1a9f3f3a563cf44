package dev.vigil.collector.sla;

import java.util.Arrays;

/**
 * One UTC day of a check's latency record, immutable: its 96 quarter-hour buckets encoded one after
 * the other in one byte array, and their merge, the day's summary, in another. A query covering the
 * whole day reads the summary; one covering part of it walks the buckets. Changing a day builds a new
 * one, copying the untouched buckets' bytes as they are.
 *
 * <p>{@code buckets} holds, for bucket 0, 1, ... in turn, the varint length of its block (0 for an empty
 * bucket) and the block ({@link BucketCodec}); buckets after the last non-empty one are left out.
 * {@code summary} is one block, or null while the day is the newest of its record: that day takes
 * nearly every sample, and keeping its summary current would cost a re-encoding of the whole day's
 * merge every few samples, so queries walk its buckets until a later day begins.
 */
final class LatencyDay {
    static final int BUCKETS_PER_DAY = 96;
    /** Low bits of a pending entry of a failed sample; a successful one holds its latency index. */
    static final int FAILED = 0x8000;
    private static final int ENTRY_BITS = 16;

    final byte[] summary;
    final byte[] buckets;

    LatencyDay(byte[] summary, byte[] buckets) {
        this.summary = summary;
        this.buckets = buckets;
    }

    /**
     * A sample waiting to be merged into its day, as one long that sorts by bucket, then successes by
     * latency index, then failures.
     */
    static long entry(long bucketId, boolean success, long latencyMicros) {
        return bucketId << ENTRY_BITS | (success ? LatencyScale.index(latencyMicros) : FAILED);
    }

    static long bucketOf(long entry) {
        return entry >> ENTRY_BITS;
    }

    static int lowBitsOf(long entry) {
        return (int) entry & ((1 << ENTRY_BITS) - 1);
    }

    /** Whether {@code lowBits} is a failure or a latency index the scale has; for checking input. */
    static boolean validLowBits(int lowBits) {
        return lowBits == FAILED || lowBits < LatencyScale.INDEX_COUNT;
    }

    /**
     * Adds to {@code into} the buckets {@code fromBucket} (inclusive) to {@code toBucket} (exclusive) of
     * this day, counted from its first bucket.
     */
    void addTo(int fromBucket, int toBucket, LatencyAccumulator into, BucketCodec.Reader reader) {
        if (fromBucket == 0 && toBucket >= BUCKETS_PER_DAY && summary != null) {
            into.addBlock(summary, 0, reader);
            return;
        }
        int position = 0;
        for (int bucket = 0; bucket < toBucket && position < buckets.length; bucket++) {
            long lengthAndStart = BucketCodec.varIntAt(buckets, position);
            int length = (int) (lengthAndStart >>> 32);
            int start = (int) lengthAndStart;
            position = start + length;
            if (bucket >= fromBucket && length > 0) {
                into.addBlock(buckets, start, reader);
            }
        }
    }

    /**
     * The day {@code old} (null: an empty day) with the pending samples {@code entries[from..to)}
     * folded in; they are sorted and all lie in the day whose first bucket is {@code firstBucket}.
     *
     * @param summarize whether the new day has a summary (false for the newest day of the record)
     */
    static LatencyDay merge(LatencyDay old, long firstBucket, long[] entries, int from, int to, boolean summarize,
            Scratch scratch) {
        byte[] oldBuckets = old == null ? new byte[0] : old.buckets;
        BucketCodec.Writer out = scratch.day;
        out.reset();
        int[] successes = scratch.successes(to - from);
        int successCount = 0;
        long failures = 0;
        int lastNewBucket = (int) (bucketOf(entries[to - 1]) - firstBucket);
        int oldPosition = 0;
        int next = from;
        for (int bucket = 0; bucket < BUCKETS_PER_DAY; bucket++) {
            boolean oldLeft = oldPosition < oldBuckets.length;
            if (!oldLeft && bucket > lastNewBucket) {
                break;
            }
            int oldLength = 0;
            int oldStart = oldPosition;
            if (oldLeft) {
                long lengthAndStart = BucketCodec.varIntAt(oldBuckets, oldPosition);
                oldLength = (int) (lengthAndStart >>> 32);
                oldStart = (int) lengthAndStart;
                oldPosition = oldStart + oldLength;
            }
            if (next == to || bucketOf(entries[next]) - firstBucket != bucket) {
                out.writeVarLong(oldLength);
                out.writeBytes(oldBuckets, oldStart, oldLength);
                continue;
            }
            SparseHistogram histogram = scratch.histogram;
            if (oldLength > 0) {
                BucketCodec.decode(oldBuckets, oldStart, scratch.reader, histogram);
            } else {
                histogram.clear();
            }
            int firstSuccess = successCount;
            for (; next < to && bucketOf(entries[next]) - firstBucket == bucket; next++) {
                histogram.samples++;
                int lowBits = lowBitsOf(entries[next]);
                if (lowBits == FAILED) {
                    histogram.failures++;
                    failures++;
                } else {
                    successes[successCount++] = lowBits;
                }
            }
            histogram.mergeSortedValues(successes, firstSuccess, successCount, scratch.spare);
            writeBlock(histogram, scratch.block, out);
        }

        byte[] newBuckets = out.toByteArray();
        if (!summarize) {
            return new LatencyDay(null, newBuckets);
        }
        if (old != null && old.summary == null) {
            return new LatencyDay(summarize(newBuckets, scratch), newBuckets);
        }
        SparseHistogram summary = scratch.histogram;
        if (old != null) {
            BucketCodec.decode(old.summary, 0, scratch.reader, summary);
        } else {
            summary.clear();
        }
        summary.samples += to - from;
        summary.failures += failures;
        Arrays.sort(successes, 0, successCount);
        summary.mergeSortedValues(successes, 0, successCount, scratch.spare);
        scratch.block.reset();
        BucketCodec.encode(summary, scratch.block);
        return new LatencyDay(scratch.block.toByteArray(), newBuckets);
    }

    /** This day with its summary, built from the buckets if it has none. */
    LatencyDay withSummary(Scratch scratch) {
        return summary != null ? this : new LatencyDay(summarize(buckets, scratch), buckets);
    }

    /** The summary block of {@code buckets}. */
    private static byte[] summarize(byte[] buckets, Scratch scratch) {
        LatencyAccumulator accumulator = scratch.accumulator();
        int position = 0;
        while (position < buckets.length) {
            long lengthAndStart = BucketCodec.varIntAt(buckets, position);
            int length = (int) (lengthAndStart >>> 32);
            int start = (int) lengthAndStart;
            position = start + length;
            if (length > 0) {
                accumulator.addBlock(buckets, start, scratch.reader);
            }
        }
        accumulator.copyTo(scratch.summary);
        scratch.block.reset();
        BucketCodec.encode(scratch.summary, scratch.block);
        return scratch.block.toByteArray();
    }

    /**
     * This day without its buckets before {@code firstKeptBucket} (counted from the day's first), with
     * a summary of the rest if it had one; null when nothing is left.
     */
    LatencyDay withoutBucketsBefore(int firstKeptBucket, Scratch scratch) {
        BucketCodec.Writer out = scratch.day;
        out.reset();
        boolean anyLeft = false;
        int position = 0;
        for (int bucket = 0; position < buckets.length; bucket++) {
            long lengthAndStart = BucketCodec.varIntAt(buckets, position);
            int length = (int) (lengthAndStart >>> 32);
            int start = (int) lengthAndStart;
            position = start + length;
            if (bucket < firstKeptBucket) {
                out.writeVarLong(0);
                continue;
            }
            out.writeVarLong(length);
            out.writeBytes(buckets, start, length);
            anyLeft |= length > 0;
        }
        if (!anyLeft) {
            return null;
        }
        byte[] kept = out.toByteArray();
        return new LatencyDay(summary == null ? null : summarize(kept, scratch), kept);
    }

    /**
     * Checks that the buckets and the summary decode within their bounds and that the summary counts
     * what the buckets hold, for a day read from outside.
     *
     * @throws IllegalStateException naming what is wrong
     */
    void verify(Scratch scratch) {
        long samples = 0;
        long failures = 0;
        int position = 0;
        int bucket = 0;
        for (; position < buckets.length; bucket++) {
            if (bucket == BUCKETS_PER_DAY) {
                throw BucketCodec.corrupt("more than " + BUCKETS_PER_DAY + " buckets in a day");
            }
            long lengthAndStart = BucketCodec.varIntAt(buckets, position);
            int length = (int) (lengthAndStart >>> 32);
            int start = (int) lengthAndStart;
            position = start + length;
            if (position > buckets.length) {
                throw BucketCodec.corrupt("bucket " + bucket + " runs past the day");
            }
            if (length > 0) {
                int end = BucketCodec.decode(buckets, start, scratch.reader, scratch.histogram);
                if (end != position) {
                    throw BucketCodec.corrupt("bucket " + bucket + " is " + (end - start) + " bytes, not " + length);
                }
                samples += scratch.histogram.samples;
                failures += scratch.histogram.failures;
            }
        }
        if (samples == 0) {
            throw BucketCodec.corrupt("a day without samples");
        }
        if (summary == null) {
            return;
        }
        int end = BucketCodec.decode(summary, 0, scratch.reader, scratch.histogram);
        if (end != summary.length || scratch.histogram.samples != samples || scratch.histogram.failures != failures) {
            throw BucketCodec.corrupt("day summary does not match its buckets");
        }
    }

    /** Reusable working space for building days. Not thread-safe. */
    static final class Scratch {
        final BucketCodec.Writer day = new BucketCodec.Writer(1024);
        final BucketCodec.Writer block = new BucketCodec.Writer(256);
        final BucketCodec.Reader reader = new BucketCodec.Reader();
        final SparseHistogram histogram = new SparseHistogram(64);
        final SparseHistogram summary = new SparseHistogram(64);
        final SparseHistogram spare = new SparseHistogram(64);
        private int[] successes = new int[64];
        private LatencyAccumulator accumulator;

        /** A cleared accumulator, allocated on first use: it is 186 KB and most flushes need none. */
        LatencyAccumulator accumulator() {
            if (accumulator == null) {
                accumulator = new LatencyAccumulator();
            } else {
                accumulator.reset();
            }
            return accumulator;
        }

        int[] successes(int capacity) {
            if (successes.length < capacity) {
                successes = new int[capacity];
            }
            return successes;
        }
    }

    private static void writeBlock(SparseHistogram histogram, BucketCodec.Writer block, BucketCodec.Writer out) {
        block.reset();
        BucketCodec.encode(histogram, block);
        out.writeVarLong(block.size());
        out.writeAll(block);
    }
}
