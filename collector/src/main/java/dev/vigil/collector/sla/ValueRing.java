package dev.vigil.collector.sla;

import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * A ring whose buckets keep their latencies as plain values; a query records the live values into a
 * scratch histogram. Right for short buckets, which hold few samples and expire often: expiring one
 * is forgetting an array, where subtracting a histogram would scan all its counts.
 */
final class ValueRing extends LatencyRing {
    private static final long[] NONE = {};

    private final long[][] values;
    private final int[] lengths;

    ValueRing(Window window) {
        super(window);
        this.values = new long[size()][];
        this.lengths = new int[size()];
        Arrays.fill(values, NONE);
    }

    @Override
    void addLatency(int slot, long micros) {
        if (lengths[slot] == values[slot].length) {
            values[slot] = Arrays.copyOf(values[slot], Math.max(8, values[slot].length * 2));
        }
        values[slot][lengths[slot]++] = micros;
    }

    @Override
    void clearLatencies(int slot) {
        lengths[slot] = 0;
    }

    @Override
    AbstractHistogram liveLatencies(Histogram scratch) {
        scratch.reset();
        for (int slot = 0; slot < size(); slot++) {
            for (int i = 0; i < lengths[slot]; i++) {
                scratch.recordValue(values[slot][i]);
            }
        }
        return scratch;
    }
}
