package dev.vigil.collector.sla;

/**
 * The value buckets of an HdrHistogram of microseconds from 1 µs to 1 h at 3 significant digits,
 * computed here so that the latency store can keep bucket indexes instead of a 189 KB counts array.
 * Index {@code i} is the position the same value takes in the counts array of
 * {@code new Histogram(1, 3_600_000_000L, 3)}; {@link #lowestValue} and {@link #highestValue} are
 * that histogram's {@code lowestEquivalentValue} and {@code highestEquivalentValue} of it.
 *
 * <p>With 3 digits HdrHistogram uses 2,048 sub-buckets: values below 2,048 µs are exact, and each
 * doubling above that halves the resolution (16 µs wide buckets around 20 ms, 128 µs around 200 ms,
 * 2,097,152 µs near 1 h). Values are clamped to 1 µs .. 1 h before they are indexed.
 */
final class LatencyScale {
    /** The lowest latency kept, in microseconds; lower ones count as this. */
    static final long LOWEST_MICROS = 1;
    /** The highest latency kept, one hour in microseconds; higher ones count as this. */
    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (2L << SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_HALF_COUNT_MAGNITUDE - 1;

    /** One past the highest index a clamped latency can take. */
    static final int INDEX_COUNT = indexOfClamped(HIGHEST_MICROS) + 1;
    /** Bits that hold any index. */
    static final int INDEX_BITS = 32 - Integer.numberOfLeadingZeros(INDEX_COUNT - 1);

    private LatencyScale() {
    }

    /** The index of {@code micros} after clamping it to {@link #LOWEST_MICROS} .. {@link #HIGHEST_MICROS}. */
    static int index(long micros) {
        return indexOfClamped(Math.max(LOWEST_MICROS, Math.min(HIGHEST_MICROS, micros)));
    }

    /** The lowest value that takes {@code index}: HdrHistogram's {@code valueFromIndex}. */
    static long lowestValue(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    /** The highest value that takes {@code index}. */
    static long highestValue(int index) {
        int bucket = Math.max(0, (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1);
        return lowestValue(index) + (1L << bucket) - 1;
    }

    private static int indexOfClamped(long micros) {
        int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(micros | SUB_BUCKET_MASK);
        int subBucket = (int) (micros >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
    }
}
