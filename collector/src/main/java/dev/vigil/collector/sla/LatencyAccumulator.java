package dev.vigil.collector.sla;

import java.util.Arrays;

/**
 * Where a query adds up blocks: counts per {@link LatencyScale} index in a flat array (186 KB, alive
 * for one query), the range of indexes touched, and the sample and failure totals. Flat because
 * adding is then one array increment per entry, whatever order the blocks come in; only the touched
 * range is scanned when the result is taken. Not thread-safe.
 */
final class LatencyAccumulator {
    private final long[] counts = new long[LatencyScale.INDEX_COUNT];
    private int lowestIndex = LatencyScale.INDEX_COUNT;
    private int highestIndex = -1;
    private long samples;
    private long failures;

    /** Forgets everything added, clearing only the touched range, so one accumulator serves many merges. */
    void reset() {
        if (highestIndex >= lowestIndex) {
            Arrays.fill(counts, lowestIndex, highestIndex + 1, 0);
        }
        lowestIndex = LatencyScale.INDEX_COUNT;
        highestIndex = -1;
        samples = 0;
        failures = 0;
    }

    /** Adds the block at {@code offset} of {@code bytes}. */
    void addBlock(byte[] bytes, int offset, BucketCodec.Reader reader) {
        reader.open(bytes, offset);
        samples += reader.samples;
        failures += reader.failures;
        if (reader.samples == reader.failures) {
            return;
        }
        int lowest = reader.addAllTo(counts);
        lowestIndex = Math.min(lowestIndex, lowest);
        highestIndex = Math.max(highestIndex, reader.index);
    }

    /** Adds one pending sample ({@link LatencyDay#entry}). */
    void addEntry(long entry) {
        samples++;
        int lowBits = LatencyDay.lowBitsOf(entry);
        if (lowBits == LatencyDay.FAILED) {
            failures++;
            return;
        }
        counts[lowBits]++;
        lowestIndex = Math.min(lowestIndex, lowBits);
        highestIndex = Math.max(highestIndex, lowBits);
    }

    /** Replaces the content of {@code into} by everything added. */
    void copyTo(SparseHistogram into) {
        into.clear();
        into.samples = samples;
        into.failures = failures;
        for (int i = lowestIndex; i <= highestIndex; i++) {
            if (counts[i] != 0) {
                into.append(i, counts[i]);
            }
        }
    }

    /** The immutable view of everything added. */
    MergedLatencyView toView() {
        int distinct = 0;
        for (int i = lowestIndex; i <= highestIndex; i++) {
            if (counts[i] != 0) {
                distinct++;
            }
        }
        int[] indices = new int[distinct];
        long[] cumulative = new long[distinct];
        long running = 0;
        int entry = 0;
        for (int i = lowestIndex; i <= highestIndex; i++) {
            if (counts[i] != 0) {
                running += counts[i];
                indices[entry] = i;
                cumulative[entry] = running;
                entry++;
            }
        }
        return new MergedLatencyView(samples, samples - failures, indices, cumulative);
    }
}
