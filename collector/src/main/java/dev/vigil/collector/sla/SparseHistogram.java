package dev.vigil.collector.sla;

import java.util.Arrays;

/**
 * A block's figures in working form: sample and failure counts plus the successful latencies as
 * ascending distinct {@link LatencyScale} indexes with their counts. Mutable scratch space for
 * merging and encoding, never retained by the store. Not thread-safe.
 */
final class SparseHistogram {
    long samples;
    long failures;
    int size;
    int[] indices;
    long[] counts;

    SparseHistogram() {
        this(16);
    }

    SparseHistogram(int capacity) {
        indices = new int[Math.max(1, capacity)];
        counts = new long[Math.max(1, capacity)];
    }

    void clear() {
        samples = 0;
        failures = 0;
        size = 0;
    }

    /** Successful samples: the sum of the counts. */
    long successes() {
        return samples - failures;
    }

    /**
     * Appends {@code count} samples at {@code index}, which must not be below the last index appended;
     * an equal index adds to the last entry. Does not touch {@link #samples}.
     */
    void append(int index, long count) {
        if (size > 0 && indices[size - 1] == index) {
            counts[size - 1] += count;
            return;
        }
        if (size == indices.length) {
            int capacity = size * 2;
            indices = Arrays.copyOf(indices, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
        indices[size] = index;
        counts[size] = count;
        size++;
    }

    /**
     * Adds {@code sortedIndices[from..to)}, one sample each, ascending, to the entries. {@code spare}
     * lends its arrays for the result and gets this one's old arrays back, so merging allocates only
     * when an array has to grow. Does not touch {@link #samples}.
     */
    void mergeSortedValues(int[] sortedIndices, int from, int to, SparseHistogram spare) {
        spare.size = 0;
        int i = 0;
        int j = from;
        while (i < size || j < to) {
            if (j == to || (i < size && indices[i] <= sortedIndices[j])) {
                spare.append(indices[i], counts[i]);
                i++;
            } else {
                spare.append(sortedIndices[j], 1);
                j++;
            }
        }
        takeEntriesOf(spare);
    }

    /** Adds the samples, failures and entries of {@code other}; {@code spare} as for {@link #mergeSortedValues}. */
    void merge(SparseHistogram other, SparseHistogram spare) {
        samples += other.samples;
        failures += other.failures;
        spare.size = 0;
        int i = 0;
        int j = 0;
        while (i < size || j < other.size) {
            if (j == other.size || (i < size && indices[i] <= other.indices[j])) {
                spare.append(indices[i], counts[i]);
                i++;
            } else {
                spare.append(other.indices[j], other.counts[j]);
                j++;
            }
        }
        takeEntriesOf(spare);
    }

    private void takeEntriesOf(SparseHistogram spare) {
        int[] oldIndices = indices;
        long[] oldCounts = counts;
        indices = spare.indices;
        counts = spare.counts;
        size = spare.size;
        spare.indices = oldIndices;
        spare.counts = oldCounts;
        spare.size = 0;
    }
}
