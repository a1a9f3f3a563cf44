package dev.vigil.collector.metrics;

import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.state.CheckBoard;
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
import java.time.Duration;
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
    private SlaEngine engine;
    private volatile EngineFigures figures = EngineFigures.EMPTY;
    private EngineFigures.Computation computation;
    private IncidentBook incidents;

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
     * {@code vigil_check_latency_seconds} and {@code vigil_check_samples_total}. The window figures come
     * from the last complete {@link #refreshStep}.
     */
    public void registerChecks(CheckBoard board, SlaEngine engine) {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(engine, "engine");
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
                .help("1 - downtime / time with data over the trailing window (24x7, no maintenance)")
                .labelNames("agent", "check", "window")
                .callback(callback -> figures.checks().forEach((key, windows) -> windows.forEach(f ->
                        f.availability().ifPresent(a -> callback.call(a, key.agent(), key.check(),
                                f.window().label())))))
                .register(registry);
        // A summary, not a gauge: promtool refuses a "quantile" label on anything else. Its _count and
        // _sum describe the window's successful samples, so unlike a usual summary they fall as samples
        // leave it.
        SummaryWithCallback.builder().name("vigil_check_latency_seconds")
                .help("Total time of the successful samples in the trailing window's 15-minute buckets: "
                        + "quantiles from HdrHistogram (3 significant digits), count and sum")
                .labelNames("agent", "check", "window")
                .callback(callback -> figures.checks().forEach((key, windows) -> windows.forEach(f -> {
                    if (f.successes() > 0) {
                        callback.call(f.successes(), f.meanMicros().orElse(0) * f.successes() / 1e6,
                                Quantiles.of(
                                        new Quantile(0.5, f.p50Micros().orElse(0) / 1e6),
                                        new Quantile(0.95, f.p95Micros().orElse(0) / 1e6),
                                        new Quantile(0.99, f.p99Micros().orElse(0) / 1e6)),
                                key.agent(), key.check(), f.window().label());
                    }
                })))
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
        this.engine = engine;
    }

    /**
     * Registers the SLA figures of every service with an SLA over its current period, from the last
     * {@link #refreshStep}: see {@code docs/sla.md} for each metric.
     */
    public void registerSla(SlaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        SlaMetrics.register(registry, () -> figures);
    }

    /**
     * Registers {@code vigil_incidents_open{kind,priority}}, {@code vigil_incidents_muted} and
     * {@code vigil_incidents_opened_total},
     * and hands each service's figures to the book as they are computed, for its burn-rate and
     * spent-budget incidents.
     */
    public void registerIncidents(IncidentBook incidents) {
        this.incidents = incidents;
        GaugeWithCallback.builder().name("vigil_incidents_open")
                .help("Incidents currently open, by kind and priority (muted ones included)")
                .labelNames("kind", "priority")
                .callback(callback -> {
                    Map<String, Integer> open = incidents.openBy(i -> i.kind().label() + " " + i.priority());
                    // Every combination, zeros included, so that dashboards and alerts see stable series.
                    for (IncidentKind kind : IncidentKind.values()) {
                        for (Priority priority : Priority.values()) {
                            callback.call(open.getOrDefault(kind.label() + " " + priority, 0), kind.label(),
                                    priority.name());
                        }
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("vigil_incidents_muted")
                .help("Open incidents muted by maintenance or a down dependency: recorded, not sent to sinks")
                .callback(callback -> callback.call(incidents.openBy(i -> Boolean.toString(i.muted()))
                        .getOrDefault("true", 0)))
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

    /**
     * Advances the recomputation of the figures by one step of about {@code budget}, starting one if
     * none is under way, and publishes the new figures when it is complete. The collector calls it on
     * a timer, in steps, so a scrape only writes values (and costs the same however often Prometheus
     * asks) and thousands of services never hold the event loop for long.
     *
     * @return whether the figures were published: false while steps remain
     */
    public boolean refreshStep(Duration budget) {
        if (engine == null) {
            return true;
        }
        if (computation == null) {
            computation = new EngineFigures.Computation(engine, board, incidents);
        }
        if (!computation.step(budget.toNanos())) {
            return false;
        }
        figures = computation.result();
        computation = null;
        return true;
    }

    /** The registry in the Prometheus text format, version 0.0.4. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
