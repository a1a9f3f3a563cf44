package dev.vigil.collector.metrics;

import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.sla.SlaEngine;
import dev.vigil.collector.sla.Window;
import dev.vigil.collector.sla.WindowFigures;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckState;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.protocol.Outcome;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The collector's Prometheus metrics: one {@link PrometheusRegistry} per collector holding the JVM
 * metrics, the counters other packages register, and gauges that read the checks, SLA figures,
 * incidents and journal when scraped. Scrape it on the thread that owns those (the collector
 * verticle's event loop): the callbacks read unsynchronised state.
 */
public final class CollectorMetrics {
    /** The Content-Type of {@link #scrape()}'s output. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private CheckBoard board;
    private SlaEngine sla;
    private Map<CheckKey, Map<Window, WindowFigures>> figures = Map.of();

    /** A registry with the JVM metrics in it. */
    public CollectorMetrics() {
        JvmMetrics.builder().register(registry);
    }

    /** The registry, for components that register their own counters. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Registers {@code vigil_check_up}, {@code vigil_check_availability_ratio},
     * {@code vigil_check_latency_seconds} and {@code vigil_check_samples_total}.
     */
    public void registerChecks(CheckBoard board, SlaEngine sla) {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(sla, "sla");
        GaugeWithCallback.builder().name("vigil_check_up")
                .help("1 when the check is up, 0 when it is down; absent while its state is unknown")
                .labelNames("agent", "check")
                .callback(callback -> {
                    for (CheckStatus status : board.checks()) {
                        if (status.state() != CheckState.UNKNOWN) {
                            callback.call(status.state() == CheckState.UP ? 1 : 0, status.key().agent(),
                                    status.key().check());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("vigil_check_availability_ratio")
                .help("1 - outage time / observed time over the trailing window")
                .labelNames("agent", "check", "window")
                .callback(callback -> figures.forEach((key, windows) -> windows.forEach((window, f) ->
                        f.availability().ifPresent(a -> callback.call(a, key.agent(), key.check(), window.label())))))
                .register(registry);
        // A summary, not a gauge: promtool refuses a "quantile" label on anything else. Its _count and
        // _sum describe the window, so unlike a usual summary they fall as samples leave it.
        SummaryWithCallback.builder().name("vigil_check_latency_seconds")
                .help("Total time of the successful samples in the trailing window: quantiles from HdrHistogram "
                        + "(3 significant digits), count and sum of the window's samples")
                .labelNames("agent", "check", "window")
                .callback(callback -> figures.forEach((key, windows) -> windows.forEach((window, f) ->
                        f.latency().ifPresent(latency -> callback.call(latency.count(), latency.sumMicros() / 1e6,
                                Quantiles.of(
                                        new Quantile(0.5, latency.p50Micros() / 1e6),
                                        new Quantile(0.95, latency.p95Micros() / 1e6),
                                        new Quantile(0.99, latency.p99Micros() / 1e6)),
                                key.agent(), key.check(), window.label())))))
                .register(registry);
        CounterWithCallback.builder().name("vigil_check_samples_total")
                .help("Samples in the collector journal by check and outcome")
                .labelNames("agent", "check", "outcome")
                .callback(callback -> {
                    for (CheckStatus status : board.checks()) {
                        for (Outcome outcome : Outcome.values()) {
                            callback.call(status.samples(outcome), status.key().agent(), status.key().check(),
                                    outcome.name().toLowerCase(Locale.ROOT));
                        }
                    }
                }).register(registry);
        this.board = board;
        this.sla = sla;
    }

    /** Registers {@code vigil_incidents_open} and {@code vigil_incidents_opened_total}. */
    public void registerIncidents(IncidentBook incidents) {
        GaugeWithCallback.builder().name("vigil_incidents_open")
                .help("Incidents currently open")
                .callback(callback -> callback.call(incidents.openCount()))
                .register(registry);
        CounterWithCallback.builder().name("vigil_incidents_opened_total")
                .help("Incidents opened since the collector journal began")
                .callback(callback -> callback.call(incidents.openedCount()))
                .register(registry);
    }

    /** Registers {@code vigil_collector_journal_entries_total}. */
    public void registerJournal(CollectorJournal journal) {
        CounterWithCallback.builder().name("vigil_collector_journal_entries_total")
                .help("Entries in the collector journal: replayed at start plus appended since")
                .callback(callback -> callback.call(journal.entries()))
                .register(registry);
    }

    /** The registry in the Prometheus text format, version 0.0.4. */
    public byte[] scrape() {
        // The SLA figures are computed once per scrape, not once per gauge that reads them.
        Map<CheckKey, Map<Window, WindowFigures>> current = new LinkedHashMap<>();
        if (board != null) {
            for (CheckStatus status : board.checks()) {
                current.put(status.key(), sla.figures(status.key()));
            }
        }
        figures = current;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
