package dev.vigil.collector.sla;

import java.util.Arrays;

/**
 * An immutable set of instants, kept as sorted, disjoint, non-adjacent half-open intervals
 * {@code [start, end)} of epoch milliseconds. Two sets holding the same instants are equal, whatever
 * order and overlap they were built from: touching intervals are merged.
 */
public final class IntervalSet {
    /** The set holding no instant. */
    public static final IntervalSet EMPTY = new IntervalSet(new long[0], 0);

    /** start0, end0, start1, end1, ...; strictly increasing, length exactly {@code 2 * size}. */
    private final long[] bounds;
    private final int size;

    private IntervalSet(long[] bounds, int size) {
        this.bounds = bounds;
        this.size = size;
    }

    /**
     * The set holding {@code [startEpochMillis, endEpochMillis)}; empty when {@code end <= start}.
     *
     * @param startEpochMillis first instant in the set
     * @param endEpochMillis   first instant after the set
     */
    public static IntervalSet of(long startEpochMillis, long endEpochMillis) {
        if (endEpochMillis <= startEpochMillis) {
            return EMPTY;
        }
        return new IntervalSet(new long[] {startEpochMillis, endEpochMillis}, 1);
    }

    /** A builder taking intervals in any order, overlapping or not. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of disjoint intervals. */
    public int size() {
        return size;
    }

    /** Whether the set holds no instant. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Start of the {@code i}-th interval (0-based, in time order), epoch milliseconds. */
    public long start(int i) {
        checkIndex(i);
        return bounds[2 * i];
    }

    /** End (exclusive) of the {@code i}-th interval (0-based, in time order), epoch milliseconds. */
    public long end(int i) {
        checkIndex(i);
        return bounds[2 * i + 1];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("interval " + i + " of " + size);
        }
    }

    /** Total length of all intervals, milliseconds. */
    public long totalMillis() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += bounds[2 * i + 1] - bounds[2 * i];
        }
        return total;
    }

    /** Whether {@code epochMillis} lies in one of the intervals. */
    public boolean contains(long epochMillis) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[2 * mid + 1] <= epochMillis) {
                lo = mid + 1;
            } else if (bounds[2 * mid] > epochMillis) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The instants in this set or in {@code other}. */
    public IntervalSet union(IntervalSet other) {
        return combine(other, Op.UNION);
    }

    /** The instants in both this set and {@code other}. */
    public IntervalSet intersect(IntervalSet other) {
        return combine(other, Op.INTERSECT);
    }

    /** The instants in this set but not in {@code other}. */
    public IntervalSet minus(IntervalSet other) {
        return combine(other, Op.MINUS);
    }

    /** The instants of this set within {@code [fromEpochMillis, toEpochMillis)}. */
    public IntervalSet clip(long fromEpochMillis, long toEpochMillis) {
        return intersect(of(fromEpochMillis, toEpochMillis));
    }

    private enum Op { UNION, INTERSECT, MINUS }

    /**
     * One sweep over both boundary lists: between consecutive boundaries membership in each set is
     * constant, so the result is decided once per elementary segment.
     */
    private IntervalSet combine(IntervalSet other, Op op) {
        if (op == Op.UNION && other.size == 0 || op == Op.MINUS && (size == 0 || other.size == 0)) {
            return this;
        }
        if (op == Op.UNION && size == 0) {
            return other;
        }
        if (op == Op.INTERSECT && (size == 0 || other.size == 0)) {
            return EMPTY;
        }
        long[] a = bounds;
        long[] b = other.bounds;
        int na = 2 * size;
        int nb = 2 * other.size;
        long[] out = new long[na + nb];
        int n = 0;
        int i = 0;
        int j = 0;
        boolean inResult = false;
        while (i < na || j < nb) {
            long t;
            if (j >= nb || i < na && a[i] <= b[j]) {
                t = a[i];
            } else {
                t = b[j];
            }
            while (i < na && a[i] == t) {
                i++;
            }
            while (j < nb && b[j] == t) {
                j++;
            }
            // an odd index means we are inside one of that set's intervals
            boolean inA = (i & 1) == 1;
            boolean inB = (j & 1) == 1;
            boolean in = switch (op) {
                case UNION -> inA || inB;
                case INTERSECT -> inA && inB;
                case MINUS -> inA && !inB;
            };
            if (in != inResult) {
                out[n++] = t;
                inResult = in;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        return new IntervalSet(n == out.length ? out : Arrays.copyOf(out, n), n / 2);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IntervalSet other) || other.size != size) {
            return false;
        }
        return Arrays.equals(bounds, 0, 2 * size, other.bounds, 0, 2 * size);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < 2 * size; i++) {
            h = 31 * h + Long.hashCode(bounds[i]);
        }
        return h;
    }

    /** For example {@code [0,5) [10,20)}, epoch milliseconds. */
    @Override
    public String toString() {
        if (size == 0) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('[').append(bounds[2 * i]).append(',').append(bounds[2 * i + 1]).append(')');
        }
        return sb.toString();
    }

    /** Collects intervals in any order, overlapping or not; empty intervals are ignored. Not thread-safe. */
    public static final class Builder {
        private long[] pairs = new long[16];
        private int count;

        private Builder() {
        }

        /**
         * Adds {@code [startEpochMillis, endEpochMillis)}; nothing when {@code end <= start}.
         *
         * @return this builder
         */
        public Builder add(long startEpochMillis, long endEpochMillis) {
            if (endEpochMillis <= startEpochMillis) {
                return this;
            }
            if (2 * count + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * count] = startEpochMillis;
            pairs[2 * count + 1] = endEpochMillis;
            count++;
            return this;
        }

        /** Adds every interval of {@code set}; returns this builder. */
        public Builder addAll(IntervalSet set) {
            for (int i = 0; i < set.size; i++) {
                add(set.bounds[2 * i], set.bounds[2 * i + 1]);
            }
            return this;
        }

        /** The union of everything added so far. */
        public IntervalSet build() {
            if (count == 0) {
                return EMPTY;
            }
            boolean sorted = true;
            for (int k = 1; k < count && sorted; k++) {
                sorted = pairs[2 * k] >= pairs[2 * k - 2];
            }
            long[] source = pairs;
            if (!sorted) {
                // sort the pairs by start through an index, as no primitive sort takes a comparator
                Integer[] order = new Integer[count];
                for (int k = 0; k < count; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (x, y) -> Long.compare(pairs[2 * x], pairs[2 * y]));
                source = new long[2 * count];
                for (int k = 0; k < count; k++) {
                    source[2 * k] = pairs[2 * order[k]];
                    source[2 * k + 1] = pairs[2 * order[k] + 1];
                }
            }
            long[] out = new long[2 * count];
            int n = 0;
            for (int k = 0; k < count; k++) {
                long s = source[2 * k];
                long e = source[2 * k + 1];
                if (n > 0 && s <= out[n - 1]) {
                    out[n - 1] = Math.max(out[n - 1], e);
                } else {
                    out[n++] = s;
                    out[n++] = e;
                }
            }
            return new IntervalSet(n == out.length ? out : Arrays.copyOf(out, n), n / 2);
        }
    }
}
