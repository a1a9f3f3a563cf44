package dev.vigil.collector;

import dev.vigil.collector.api.ApiRoutes;
import dev.vigil.collector.api.IncidentRoutes;
import dev.vigil.collector.api.ServiceStatusFields;
import dev.vigil.collector.api.SlaRoutes;
import dev.vigil.collector.change.ChangeRoutes;
import dev.vigil.collector.change.ChangeStore;
import dev.vigil.collector.kpi.KpiFigures;
import dev.vigil.collector.kpi.KpiRoutes;
import dev.vigil.collector.problem.ProblemBook;
import dev.vigil.collector.problem.ProblemFigures;
import dev.vigil.collector.problem.ProblemRoutes;
import dev.vigil.collector.problem.ProblemTickets;
import dev.vigil.collector.supplier.SupplierMetrics;
import dev.vigil.collector.supplier.SupplierRoutes;
import dev.vigil.collector.status.StatusRoutes;
import dev.vigil.collector.assignment.AssignmentRoute;
import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.CatalogueRoutes;
import dev.vigil.collector.catalogue.CatalogueStore;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.config.AgentConfig;
import dev.vigil.collector.config.ClientAuthMode;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.config.HeartbeatConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.evidence.EvidenceCounter;
import dev.vigil.collector.evidence.EvidenceIndex;
import dev.vigil.collector.evidence.EvidenceRoutes;
import dev.vigil.collector.heartbeat.HeartbeatCounters;
import dev.vigil.collector.heartbeat.HeartbeatRoute;
import dev.vigil.collector.heartbeat.HeartbeatWatch;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentLog;
import dev.vigil.collector.incident.delivery.Backoff;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.sink.IncidentSinks;
import dev.vigil.collector.ingest.AgentAuthenticator;
import dev.vigil.collector.ingest.ConnectionGuard;
import dev.vigil.collector.ingest.IngestCounters;
import dev.vigil.collector.ingest.IngestRoute;
import dev.vigil.collector.ingest.Ingestor;
import dev.vigil.collector.ingest.SamplesRoute;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.metrics.CollectorMetrics;
import dev.vigil.collector.report.ReportChanges;
import dev.vigil.collector.report.ReportRoutes;
import dev.vigil.collector.snapshot.Snapshot;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.snapshot.SnapshotMismatchException;
import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.snapshot.SnapshotStore;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector as one verticle: its event loop owns the journal, the outbox, the checks, the SLA
 * figures and the incidents, and serves HTTP. It listens first, then replays the journal in slices
 * (so {@code /healthz} can answer "starting" meanwhile), then starts ingest and webhook delivery.
 */
final class CollectorVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorVerticle.class);
    /** Entries replayed per event-loop turn: large enough to be quick, small enough not to stall it. */
    private static final int REPLAY_SLICE = 4_096;
    private static final Duration RETENTION_CHECK = Duration.ofHours(1);
    /**
     * How often the derived state is snapshotted: a restart then replays at most this much of the
     * journal on top of the snapshot.
     */
    static final Duration SNAPSHOT_INTERVAL = Duration.ofMinutes(10);
    /**
     * The pause between two recomputations of the figures /metrics shows (a scrape only writes them):
     * counted from the end of one, so thousands of services cannot keep the event loop busy with it.
     */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(5);
    /** The longest one step of that recomputation holds the event loop. */
    private static final Duration METRICS_STEP = Duration.ofMillis(10);
    /** The longest request line accepted, in bytes; longer is answered 414 by Vert.x. */
    static final int MAX_INITIAL_LINE_BYTES = 4_096;
    /** The most header bytes accepted, in bytes; more is answered 431 by Vert.x. */
    static final int MAX_HEADER_BYTES = 8_192;

    private final CollectorConfig config;
    private final InstantSource clock;
    private final Promise<Void> ready = Promise.promise();
    private volatile boolean replayed;
    private CollectorJournal journal;
    private Outbox outbox;
    private KpiFigures kpiFigures;
    private ProblemFigures problemFigures;
    private Optional<ProblemTickets> problemTickets = Optional.empty();
    private SupplierMetrics supplierMetrics;
    private SinkHttp sinkHttp;
    private IncidentLog incidentLog;
    private Ingestor ingestor;
    private ConnectionGuard guard;
    private HeartbeatWatch heartbeats;
    private volatile HttpServer server;
    private long replayStartNanos;
    private SnapshotStore snapshots;
    private CheckBoard board;
    private SlaEngine engine;
    private IncidentBook incidents;
    private EvidenceIndex evidence;
    private EvidenceCounter evidenceCounter;
    private boolean snapshotWriting;
    private CollectorMetrics metrics;

    CollectorVerticle(CollectorConfig config, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Future<?> start() {
        Router router;
        try {
            router = open();
        } catch (RuntimeException e) {
            closeStores();
            return Future.failedFuture(e);
        }
        return vertx.createHttpServer(serverOptions())
                .connectionHandler(guard::connected)
                .invalidRequestHandler(guard::invalidRequest)
                .requestHandler(request -> {
                    guard.requestStarted(request);
                    router.handle(request);
                })
                .listen(config.listen().getPort(), config.listen().getHostString())
                .onSuccess(listening -> {
                    server = listening;
                    replayStartNanos = System.nanoTime();
                    replaySlice();
                })
                .onFailure(failure -> closeStores());
    }

    @Override
    public Future<?> stop() {
        if (replayed && journal != null && !snapshotWriting) {
            // On the way down, on the event loop: nothing else runs now, and the next start then
            // replays nothing but what a kill would have left.
            try {
                snapshots.write(capture());
            } catch (RuntimeException e) {
                LOG.error("Writing the final snapshot failed; the next start replays more of the journal", e);
            }
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> {
            closeStores();
            return Future.succeededFuture();
        });
    }

    private Router open() {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        metrics = new CollectorMetrics(clock);
        journal = CollectorJournal.open(config.dataDir().resolve("journal"));
        sinkHttp = new SinkHttp(vertx, config.incidents().egress());
        List<Outbox.Route> routes = new ArrayList<>();
        for (SinkConfig sink : config.sinks()) {
            routes.add(new Outbox.Route(IncidentSinks.create(sink, sinkHttp, clock,
                    incident -> evidence.atOpening(incident)), sink.settings()::routes));
        }
        outbox = Outbox.open(vertx, routes, config.dataDir().resolve("outbox"), journal.lastIndex(), Backoff.DEFAULT,
                metrics.registry());
        incidentLog = IncidentLog.open(config.dataDir().resolve("incidents"));
        List<String> agents = config.agents().stream().map(AgentConfig::name).toList();
        evidenceCounter = new EvidenceCounter(metrics.registry(), agents);
        CatalogueStore catalogue = CatalogueStore.open(vertx, config.catalogue(), Set.copyOf(agents),
                config.dataDir().resolve("catalogue.json"));
        snapshots = SnapshotStore.open(config.dataDir().resolve("snapshots"));
        long restoredThrough = restoreState(catalogue.current());
        catalogue.subscribe(engine::catalogueChanged);
        IngestCounters counters = new IngestCounters(metrics.registry(), agents);
        ingestor = new Ingestor(journal, board, clock, counters, config.dataDir().resolve("dedup-marks"));
        ingestor.restoredThrough(restoredThrough);
        metrics.registerChecks(board, engine);
        metrics.registerSla(engine);
        metrics.registerIncidents(incidents);
        metrics.registerJournal(journal);
        HeartbeatCounters heartbeatCounters = new HeartbeatCounters(metrics.registry(), config.heartbeats());
        heartbeats = new HeartbeatWatch(config.heartbeats(), board, ingestor.external(), clock, heartbeatCounters);
        heartbeatCounters.registerDeadlines(metrics.registry(), heartbeats);

        Router router = Router.router(vertx);
        guard = new ConnectionGuard(vertx, config.ingest(), counters);
        AgentAuthenticator authenticator = new AgentAuthenticator(config.agents());
        new IngestRoute(authenticator, ingestor, counters, () -> replayed, config.ingest(), guard).mount(router);
        new SamplesRoute(authenticator, ingestor.external(), counters, () -> replayed, config.ingest(), guard, clock)
                .mount(router);
        new HeartbeatRoute(heartbeats, counters, () -> replayed).mount(router);
        new ApiRoutes(board, engine, metrics, clock, () -> replayed).mount(router);
        new IncidentRoutes(incidents, outbox, clock, () -> replayed, config.catalogue().adminToken(),
                config.incidents().alertmanagerToken(), evidence).mount(router);
        new EvidenceRoutes(evidence, config.catalogue().adminToken(), () -> replayed).mount(router);
        new SlaRoutes(engine, clock, () -> replayed).mount(router);
        ChangeStore changes = ChangeStore.open(config.dataDir().resolve("changes.json"));
        changes.registerMetrics(metrics.registry());
        new StatusRoutes(engine, incidents, changes::all, clock, () -> replayed).mount(router);
        kpiFigures = new KpiFigures(incidents::incidents, config.management().kpis());
        kpiFigures.register(metrics.registry());
        new KpiRoutes(incidents::incidents, config.management().kpis(), clock, () -> replayed).mount(router);
        supplierMetrics = new SupplierMetrics(engine);
        supplierMetrics.register(metrics.registry());
        new SupplierRoutes(engine, () -> replayed).mount(router);
        ProblemBook problems = ProblemBook.open(config.management().problems(), incidents::incidents, clock,
                config.dataDir().resolve("problems.json"));
        new ProblemRoutes(problems, config.catalogue().adminToken()).mount(router);
        problemFigures = new ProblemFigures(problems,
                () -> catalogue.current().services().stream().map(Service::name).toList());
        problemFigures.register(metrics.registry());
        problemTickets = config.management().problems().sink()
                .map(sink -> new ProblemTickets(problems, incidents::incidents, outbox, sink));
        new ReportRoutes(vertx, engine, incidents, config.management().kpis(), problems::problems,
                list -> ReportChanges.of(changes, list, config.management().changes().inducedWindow(),
                        engine.catalogue()), clock, () -> replayed)
                .withEvidence(evidence).mount(router);
        new ChangeRoutes(changes, config.management().changes(), catalogue, incidents::incidents, clock,
                config.catalogue().adminToken(), () -> replayed).mount(router);
        new CatalogueRoutes(catalogue, config.catalogue().adminToken(), clock,
                new ServiceStatusFields(engine, evidence, () -> replayed)).mount(router);
        new AssignmentRoute(config.agents(), config.assignments(), metrics.registry(), clock).mount(router);
        return router;
    }

    /**
     * Builds the board, the SLA engine and the incident book, restored from the newest snapshot that
     * can be read, and returns the journal index that snapshot includes (-1 when none was restored: the
     * whole journal is applied).
     */
    private long restoreState(Catalogue catalogue) {
        for (Path file : snapshots.files()) {
            try {
                Snapshot snapshot = snapshots.read(file);
                if (snapshot.journalIndex() > journal.lastIndex()) {
                    throw new SnapshotMismatchException("it includes journal entries up to index "
                            + snapshot.journalIndex() + " but the journal ends at " + journal.lastIndex()
                            + ": it was taken from another journal");
                }
                buildState(catalogue);
                SnapshotCodec.restore(snapshot.body(), snapshotParts());
                incidents.announceRestored();
                LOG.info("Restored snapshot {} (journal index {}, {} check locations)", file.getFileName(),
                        snapshot.journalIndex(), engine.checkCount());
                return snapshot.journalIndex();
            } catch (SnapshotMismatchException e) {
                LOG.warn("Snapshot {} not used: {}", file.getFileName(), e.getMessage());
            }
        }
        buildState(catalogue);
        if (!snapshots.files().isEmpty()) {
            LOG.warn("No snapshot could be restored: replaying the whole journal; SLA history older than the "
                    + "journal's retention ({}) is lost", config.journalRetention());
        }
        return -1;
    }

    private void buildState(Catalogue catalogue) {
        Function<CheckKey, Thresholds> thresholds = HeartbeatWatch.thresholds(config.thresholds());
        engine = new SlaEngine(clock, thresholds, catalogue, this::knownInterval);
        incidents = new IncidentBook(engine, outbox, config.incidents().policy(), clock, journal::lastIndex,
                incidentLog);
        evidence = new EvidenceIndex(this::knownInterval, this::locationsOf);
        // The evidence index before the incident book: an incident's opening is sent with the evidence of the
        // very sample that opened it.
        board = new CheckBoard(thresholds, List.of(engine, evidence, incidents,
                metrics.latencyListener(() -> replayed), evidenceCounter.listener(() -> replayed)));
    }

    /**
     * The interval at which the collector expects samples of a check location, when it knows: the
     * interval of a check it assigns to that agent; for a heartbeat check, its period plus grace (it
     * reports, or is recorded as missed, at least that often).
     */
    private Optional<Duration> knownInterval(CheckKey key) {
        if (key.agent().equals(HeartbeatConfig.AGENT)) {
            return config.heartbeats().stream().filter(heartbeat -> heartbeat.id().equals(key.check())).findFirst()
                    .map(HeartbeatConfig::deadline);
        }
        return config.assignments().forAgent(key.agent()).stream()
                .filter(assigned -> assigned.check().id().equals(key.check())).findFirst()
                .map(assigned -> assigned.check().interval());
    }

    /** The check locations the catalogue gives {@code service} now; none for an unknown service. */
    private List<CheckKey> locationsOf(String service) {
        return engine.catalogue().service(service).stream().flatMap(found -> found.checks().stream())
                .flatMap(check -> check.agents().stream().map(agent -> new CheckKey(agent, check.check()))).toList();
    }

    private List<SnapshotPart> snapshotParts() {
        return List.of(board, engine, incidents, evidence);
    }

    /** Recomputes the metrics' figures in steps, then schedules the next recomputation. */
    private void refreshMetrics() {
        if (metrics.refreshStep(METRICS_STEP)) {
            // The KPIs of the month, once per cycle: a scrape reads what this computed. Each is guarded on its
            // own: a bug in one must not stop the others, nor the next cycle.
            refreshing("incident KPIs", () -> kpiFigures.refresh(clock.millis()));
            refreshing("problem figures", () -> problemFigures.refresh(clock.millis()));
            problemTickets.ifPresent(tickets -> refreshing("problem tickets", tickets::sync));
            refreshing("supplier figures", supplierMetrics::refresh);
            vertx.setTimer(METRICS_REFRESH.toMillis(), next -> refreshMetrics());
        } else {
            // A timer, so that requests and ingest run between the steps.
            vertx.setTimer(1, next -> refreshMetrics());
        }
    }

    private static void refreshing(String what, Runnable refresh) {
        try {
            refresh.run();
        } catch (RuntimeException e) {
            LOG.error("Refreshing the {} failed; the previous figures stay until the next cycle", what, e);
        }
    }

    /**
     * Captures the derived state on the event loop (so it holds exactly the journal entries up to the
     * last index) and writes it off the loop. A capture while the previous write is still going is
     * skipped: the next one follows soon.
     */
    private void snapshot() {
        if (journal == null || snapshotWriting) {
            return;
        }
        long startedNanos = System.nanoTime();
        Snapshot snapshot = capture();
        long bytes = snapshot.body().size();
        snapshotWriting = true;
        vertx.executeBlocking(() -> snapshots.write(snapshot), false).onComplete(written -> {
            snapshotWriting = false;
            if (written.failed()) {
                metrics.snapshotFailed();
                LOG.error("Writing a snapshot failed; the next restart replays more of the journal",
                        written.cause());
            } else {
                metrics.snapshotWritten(clock.millis(), Duration.ofNanos(System.nanoTime() - startedNanos), bytes);
            }
        });
    }

    private Snapshot capture() {
        long started = System.nanoTime();
        SnapshotBytes body = SnapshotCodec.capture(snapshotParts());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        if (tookMillis > 100) {
            LOG.info("Captured a snapshot of {} bytes in {} ms", body.size(), tookMillis);
        }
        return new Snapshot(journal.lastIndex(), clock.millis(), body);
    }

    /**
     * The listener's options: HTTP/1.1 limits that Vert.x enforces before routing (request line
     * {@value #MAX_INITIAL_LINE_BYTES} bytes, answered 414; headers {@value #MAX_HEADER_BYTES} bytes,
     * answered 431), HTTP/1.1 only (no h2c upgrade), gzip and deflate request bodies decompressed as they
     * arrive, the idle timeout, and
     * TLS with optional client certificates.
     */
    private HttpServerOptions serverOptions() {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setDecompressionSupported(true)
                // HTTP/1.1 only: agents speak it, and the limits and deadlines here are HTTP/1.1's;
                // refusing a request closes its connection, which under HTTP/2 would end every stream on it.
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.ingest().idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        config.tls().ifPresent(tls -> {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(tls.certFile().toString())
                    .setKeyPath(tls.keyFile().toString()));
            tls.clientCaFile().ifPresent(ca -> options
                    .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                    .setClientAuth(tls.clientAuth() == ClientAuthMode.REQUIRED ? ClientAuth.REQUIRED : ClientAuth.REQUEST));
        });
        return options;
    }

    /** Completes when the replay has finished and ingest is open. */
    Future<Void> ready() {
        return ready.future();
    }

    /** The port the server listens on. */
    int port() {
        return server.actualPort();
    }

    private void replaySlice() {
        if (journal == null) {
            return;
        }
        int read;
        try {
            read = journal.replay(REPLAY_SLICE, CollectorJournal.Replay.of(ingestor::replaySample, ingestor::replayGap));
        } catch (RuntimeException e) {
            ready.tryFail(e);
            return;
        }
        if (read > 0) {
            // A timer, not runOnContext: the event loop runs queued tasks back to back before it looks
            // at its sockets again, so only a timer lets /healthz answer between slices.
            vertx.setTimer(1, next -> replaySlice());
            return;
        }
        try {
            replayed = true;
            heartbeats.start(vertx);
            incidents.applyLog();
            // Before the outbox starts, so the problem tickets delivered by an earlier run have their lanes.
            problemTickets.ifPresent(ProblemTickets::sync);
            outbox.start();
            vertx.setPeriodic(config.incidents().policy().evaluateEvery().toMillis(), tick -> incidents.tick());
            expireJournal();
            vertx.setPeriodic(RETENTION_CHECK.toMillis(), tick -> expireJournal());
            snapshot();
            vertx.setPeriodic(SNAPSHOT_INTERVAL.toMillis(), tick -> snapshot());
            refreshMetrics();
        } catch (RuntimeException e) {
            // Thrown from a timer, it would only be logged and leave the start waiting for ever.
            ready.tryFail(e);
            return;
        }
        Duration replayTook = Duration.ofNanos(System.nanoTime() - replayStartNanos);
        metrics.replayed(replayTook);
        LOG.info("Replayed {} journal entries in {} ms", journal.entries(), replayTook.toMillis());
        if (!ingestor.replayedUnapplied().isEmpty()) {
            LOG.info("Replayed samples not applied (out of order or too far from their receive time): {}",
                    ingestor.replayedUnapplied());
        }
        ready.tryComplete();
    }

    private void expireJournal() {
        if (journal == null) {
            return;
        }
        try {
            engine.forgetOld();
            incidents.forgetResolvedBefore(clock.millis() - SlaEngine.STATE_HISTORY.toMillis());
            evidence.forgetBefore(clock.millis() - SlaEngine.STATE_HISTORY.toMillis());
            for (Path file : ingestor.expire(config.journalRetention())) {
                LOG.info("Deleted collector journal file {}: older than the retention of {}", file.getFileName(),
                        config.journalRetention());
            }
        } catch (RuntimeException e) {
            LOG.error("Journal retention failed; the journal keeps growing until it works again", e);
        }
    }

    private void closeStores() {
        if (outbox != null) {
            outbox.close();
            outbox = null;
        }
        if (incidentLog != null) {
            incidentLog.close();
            incidentLog = null;
        }
        if (sinkHttp != null) {
            sinkHttp.close();
            sinkHttp = null;
        }
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
