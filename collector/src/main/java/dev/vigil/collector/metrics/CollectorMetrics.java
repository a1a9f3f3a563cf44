package dev.vigil.collector.metrics;

import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.collector.state.CheckState;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.protocol.Outcome;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The collector's Prometheus metrics: one {@link PrometheusRegistry} per collector holding the JVM
 * metrics, the counters other packages register, and the collector's own series. A scrape writes values
 * that are already there: counters and gauges kept as things happen, and the check and SLA figures that
 * {@link #refreshStep} computes in steps on a timer. Scrape it on the thread that owns the state (the
 * collector verticle's event loop): the callbacks read unsynchronised fields.
 */
public final class CollectorMetrics {
    /** The Content-Type of {@link #scrape()}'s output. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** Outcome label values, made once rather than lower-cased per series at every scrape. */
    private static final String[] OUTCOME_LABELS = Arrays.stream(Outcome.values())
            .map(outcome -> outcome.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final InstantSource clock;
    private final CheckLatencyHistogram latency;
    private final PipelineMetrics pipeline;
    private CheckBoard board;
    private SlaEngine engine;
    private IncidentBook incidents;
    private Path journalDirectory;
    private volatile EngineFigures figures = EngineFigures.EMPTY;
    private EngineFigures.Computation computation;
    private long computationStartNanos;

    /** A registry with the JVM metrics, the live latency histogram and the pipeline gauges in it. */
    public CollectorMetrics(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        JvmMetrics.builder().register(registry);
        latency = new CheckLatencyHistogram(registry);
        pipeline = new PipelineMetrics(registry);
        for (FigureGauge gauge : FigureGauge.values()) {
            GaugeWithCallback.builder().name(gauge.metricName()).help(gauge.help()).labelNames(gauge.labelNames())
                    .callback(callback -> {
                        for (EngineFigures.Point point : figures.of(gauge)) {
                            callback.call(point.value(), point.labels());
                        }
                    })
                    .register(registry);
        }
    }

    /** The registry, for components that register their own counters. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * A listener for the check board that feeds {@code vigil_check_latency_seconds} with the successful
     * samples applied while {@code live} is true, i.e. once the start-up replay is over. Each call returns
     * a new listener over the same histogram (the board may be built more than once at start).
     */
    public CheckListener latencyListener(BooleanSupplier live) {
        return latency.listener(Objects.requireNonNull(live, "live"));
    }

    /**
     * Registers {@code vigil_check_up} and {@code vigil_check_samples_total}, which read the board's
     * counters as they stand, and makes {@link #refreshStep} compute the figures of the board's checks.
     */
    public void registerChecks(CheckBoard board, SlaEngine engine) {
        this.board = Objects.requireNonNull(board, "board");
        this.engine = Objects.requireNonNull(engine, "engine");
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
        CounterWithCallback.builder().name("vigil_check_samples_total")
                .help("Samples applied to each check, by outcome, rebuilt from the journal at start")
                .labelNames("agent", "check", "outcome")
                .callback(callback -> {
                    for (CheckStatus status : board.checks()) {
                        for (Outcome outcome : Outcome.values()) {
                            callback.call(status.samples(outcome), status.key().agent(), status.key().check(),
                                    OUTCOME_LABELS[outcome.ordinal()]);
                        }
                    }
                }).register(registry);
    }

    /**
     * Makes {@link #refreshStep} compute the SLA figures of every catalogue service: see
     * {@code docs/metrics.md} for each series.
     */
    public void registerSla(SlaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Registers {@code vigil_incidents_open{kind,priority}}, {@code vigil_incidents_muted} and
     * {@code vigil_incidents_opened_total}, which read counts the book keeps as incidents open and
     * resolve, and hands each service's figures to the book as they are computed, for its burn-rate and
     * spent-budget incidents.
     */
    public void registerIncidents(IncidentBook incidents) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        GaugeWithCallback.builder().name("vigil_incidents_open")
                .help("Incidents currently open, by kind and priority (muted ones included)")
                .labelNames("kind", "priority")
                .callback(callback -> {
                    // Every combination, zeros included, so that dashboards and alerts see stable series.
                    for (IncidentKind kind : IncidentKind.values()) {
                        for (Priority priority : Priority.values()) {
                            callback.call(incidents.openCount(kind, priority), kind.label(), priority.name());
                        }
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("vigil_incidents_muted")
                .help("Open incidents muted by maintenance or a down dependency: recorded, not sent to sinks")
                .callback(callback -> callback.call(incidents.mutedCount()))
                .register(registry);
        CounterWithCallback.builder().name("vigil_incidents_opened_total")
                .help("Incidents opened since the oldest one the collector keeps (journal, snapshot and incident log)")
                .callback(callback -> callback.call(incidents.openedCount()))
                .register(registry);
    }

    /**
     * Registers {@code vigil_collector_journal_entries_total}, and measures the journal's size on disk
     * ({@code vigil_collector_journal_bytes}) at each refresh of the figures.
     */
    public void registerJournal(CollectorJournal journal) {
        journalDirectory = journal.directory();
        CounterWithCallback.builder().name("vigil_collector_journal_entries_total")
                .help("Entries in the collector journal: replayed at start plus appended since")
                .callback(callback -> callback.call(journal.entries()))
                .register(registry);
    }

    /** Records that the start-up replay finished after {@code duration}. */
    public void replayed(Duration duration) {
        pipeline.replayed(duration.toNanos());
    }

    /**
     * Records a snapshot written at {@code epochMillis}, {@code duration} after its capture began,
     * with a body of {@code bytes}.
     */
    public void snapshotWritten(long epochMillis, Duration duration, long bytes) {
        pipeline.snapshotWritten(epochMillis, duration.toNanos(), bytes);
    }

    /** Counts a snapshot that could not be written. */
    public void snapshotFailed() {
        pipeline.snapshotFailed();
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
            computationStartNanos = System.nanoTime();
        }
        if (!computation.step(budget.toNanos())) {
            return false;
        }
        figures = computation.result();
        computation = null;
        if (journalDirectory != null) {
            pipeline.measureJournal(journalDirectory);
        }
        pipeline.figuresPublished(clock.millis(), System.nanoTime() - computationStartNanos);
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
