package dev.vigil.collector.sla;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * A ring whose buckets keep their latencies in {@link PackedHistogram}s, whose size follows the
 * number of distinct values recorded, plus a running total of the live buckets: each latency is
 * added to its bucket and to the total, and an expiring bucket is subtracted from the total, so a
 * query reads one histogram. Right for long buckets (hours, days), which hold many samples and
 * expire rarely: a subtraction scans the bucket's whole counts range (about half a millisecond).
 */
final class HistogramRing extends LatencyRing {
    private final PackedHistogram[] histograms;
    private PackedHistogram total;

    HistogramRing(Window window) {
        super(window);
        this.histograms = new PackedHistogram[size()];
    }

    @Override
    void addLatency(int slot, long micros) {
        if (histograms[slot] == null) {
            histograms[slot] = newPackedHistogram();
        }
        if (total == null) {
            total = newPackedHistogram();
        }
        histograms[slot].recordValue(micros);
        total.recordValue(micros);
    }

    @Override
    void clearLatencies(int slot) {
        PackedHistogram histogram = histograms[slot];
        if (histogram != null && histogram.getTotalCount() > 0) {
            total.subtract(histogram);
            histogram.reset();
        }
    }

    @Override
    AbstractHistogram liveLatencies(Histogram scratch) {
        return total;
    }

    private static PackedHistogram newPackedHistogram() {
        return new PackedHistogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }
}
