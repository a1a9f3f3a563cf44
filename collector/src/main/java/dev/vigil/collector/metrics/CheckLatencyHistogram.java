package dev.vigil.collector.metrics;

import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code vigil_check_latency_seconds{agent,check}}: a classic Prometheus histogram of the total time of
 * the successful samples the collector applies live, for {@code rate()} and
 * {@code histogram_quantile()} over any range. Samples applied by the start-up replay are left out, so a
 * restart does not pour 40 days of history into one scrape interval; the HdrHistogram percentiles per
 * trailing window ({@code vigil_check_latency_percentile_seconds}) cover the history.
 */
final class CheckLatencyHistogram {
    /** Upper bounds, seconds: 5 ms to 30 s, about 2.5 per decade, as probes time out at 30 s at most. */
    static final double[] BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Histogram histogram;
    /**
     * Each location's data point, so that observing is one hash lookup on the key the sample carries
     * rather than client_java's lookup by a fresh list of label values. Event loop only.
     */
    private final Map<CheckKey, DistributionDataPoint> points = new HashMap<>();

    CheckLatencyHistogram(PrometheusRegistry registry) {
        histogram = Histogram.builder()
                .name("vigil_check_latency_seconds")
                .help("Total time of the successful samples applied since this collector finished its replay")
                .unit(Unit.SECONDS)
                .labelNames("agent", "check")
                .classicOnly()
                .classicUpperBounds(BUCKETS_SECONDS)
                .withoutExemplars()
                .register(registry);
    }

    /**
     * A listener for the check board that observes each successful sample once {@code live} is true (the
     * replay is over). Call it on the thread that applies samples.
     */
    CheckListener listener(BooleanSupplier live) {
        return applied -> {
            if (applied.sample().success() && live.getAsBoolean()) {
                observe(applied);
            }
        };
    }

    private void observe(AppliedSample applied) {
        points.computeIfAbsent(applied.key(), key -> histogram.labelValues(key.agent(), key.check()))
                .observe(applied.sample().totalNanos() / 1e9);
    }
}
