package dev.vigil.collector.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's own health beyond ingest and delivery: the start-up replay, snapshots, the journal's
 * size on disk and how fresh the precomputed figures are. Every value is set when the event happens; a
 * scrape only writes them.
 */
final class PipelineMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMetrics.class);

    private final Gauge replayDuration;
    private final Gauge snapshotLastSuccess;
    private final Gauge snapshotDuration;
    private final Gauge snapshotBytes;
    private final Counter snapshotFailures;
    private final Gauge journalBytes;
    private final Gauge figuresRefreshed;
    private final Gauge figuresRefreshDuration;

    PipelineMetrics(PrometheusRegistry registry) {
        replayDuration = Gauge.builder().name("vigil_collector_replay_duration_seconds")
                .help("How long the start-up replay of the journal (on top of the restored snapshot) took; absent "
                        + "until it finished, so its presence also says the collector is ready")
                .unit(Unit.SECONDS).register(registry);
        snapshotLastSuccess = Gauge.builder().name("vigil_collector_snapshot_last_success_timestamp_seconds")
                .help("When the last snapshot of the derived state was written, in seconds since the epoch; absent "
                        + "until one is")
                .unit(Unit.SECONDS).register(registry);
        snapshotDuration = Gauge.builder().name("vigil_collector_snapshot_duration_seconds")
                .help("How long the last successful snapshot took, capture on the event loop plus write")
                .unit(Unit.SECONDS).register(registry);
        snapshotBytes = Gauge.builder().name("vigil_collector_snapshot_bytes")
                .help("Size of the last successful snapshot's body")
                .unit(Unit.BYTES).register(registry);
        snapshotFailures = Counter.builder().name("vigil_collector_snapshot_failures_total")
                .help("Snapshots that could not be written; a restart then replays more of the journal")
                .register(registry);
        snapshotFailures.initLabelValues();
        journalBytes = Gauge.builder().name("vigil_collector_journal_bytes")
                .help("Bytes the collector journal's files take, as measured at the last refresh of the figures")
                .unit(Unit.BYTES).register(registry);
        figuresRefreshed = Gauge.builder().name("vigil_collector_figures_last_refresh_timestamp_seconds")
                .help("When the check and SLA figures /metrics shows were last published, in seconds since the "
                        + "epoch; absent until they first are")
                .unit(Unit.SECONDS).register(registry);
        figuresRefreshDuration = Gauge.builder().name("vigil_collector_figures_refresh_duration_seconds")
                .help("Wall time the last recomputation of the figures took, from its first step to publication "
                        + "(steps of at most 10 ms with the event loop free between them)")
                .unit(Unit.SECONDS).register(registry);
    }

    void replayed(long durationNanos) {
        replayDuration.set(durationNanos / 1e9);
    }

    void snapshotWritten(long epochMillis, long durationNanos, long bytes) {
        snapshotLastSuccess.set(epochMillis / 1e3);
        snapshotDuration.set(durationNanos / 1e9);
        snapshotBytes.set(bytes);
    }

    void snapshotFailed() {
        snapshotFailures.inc();
    }

    void figuresPublished(long epochMillis, long durationNanos) {
        figuresRefreshed.set(epochMillis / 1e3);
        figuresRefreshDuration.set(durationNanos / 1e9);
    }

    /**
     * Measures the journal's files: a directory listing and one stat per file, a few dozen for daily
     * files kept 35 days, done once per refresh of the figures rather than per scrape.
     */
    void measureJournal(Path directory) {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                try {
                    bytes += Files.size(file);
                } catch (NoSuchFileException e) {
                    // Deleted by retention while listed: it takes no space any more.
                }
            }
        } catch (IOException e) {
            // Not worth stopping the figures' refresh for: the gauge keeps its last value.
            LOG.warn("Cannot measure the collector journal in {}: {}", directory, e.toString());
            return;
        }
        journalBytes.set(bytes);
    }
}
