package dev.vigil.collector.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A latency source for tests that keeps every sample and counts exactly: a sample counts toward
 * {@code agreed} when the start of its 15-minute epoch-aligned bucket lies in it, as the real store
 * decides; latencies are compared exactly rather than at 3 significant digits.
 */
final class SampleLatencySource implements LatencySource {
    static final long BUCKET_MILLIS = 15 * 60_000;

    private record Entry(long scheduledEpochMillis, boolean success, long latencyMicros) {
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(long scheduledEpochMillis, boolean success, long latencyMicros) {
        entries.add(new Entry(scheduledEpochMillis, success, latencyMicros));
    }

    @Override
    public LatencyView view(IntervalSet agreed) {
        List<Entry> counted = entries.stream()
                .filter(e -> agreed.contains(Math.floorDiv(e.scheduledEpochMillis(), BUCKET_MILLIS) * BUCKET_MILLIS))
                .toList();
        long[] successLatencies = counted.stream().filter(Entry::success).mapToLong(Entry::latencyMicros).sorted().toArray();
        return new LatencyView() {
            @Override
            public long samples() {
                return counted.size();
            }

            @Override
            public long successes() {
                return successLatencies.length;
            }

            @Override
            public long successesAtOrBelow(long thresholdMicros) {
                return java.util.Arrays.stream(successLatencies).filter(l -> l <= thresholdMicros).count();
            }

            @Override
            public OptionalLong percentileMicros(double percentile) {
                if (successLatencies.length == 0) {
                    return OptionalLong.empty();
                }
                long rank = BigDecimal.valueOf(percentile).multiply(BigDecimal.valueOf(successLatencies.length))
                        .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).longValue();
                return OptionalLong.of(successLatencies[(int) Math.max(1, rank) - 1]);
            }
        };
    }
}
