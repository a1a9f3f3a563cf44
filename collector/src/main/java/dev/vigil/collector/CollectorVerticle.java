package dev.vigil.collector;

import dev.vigil.collector.api.ApiRoutes;
import dev.vigil.collector.assignment.AssignmentRoute;
import dev.vigil.collector.config.AgentConfig;
import dev.vigil.collector.config.ClientAuthMode;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.incident.Backoff;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.Outbox;
import dev.vigil.collector.ingest.AgentAuthenticator;
import dev.vigil.collector.ingest.ConnectionGuard;
import dev.vigil.collector.ingest.IngestCounters;
import dev.vigil.collector.ingest.IngestRoute;
import dev.vigil.collector.ingest.Ingestor;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.metrics.CollectorMetrics;
import dev.vigil.collector.sla.SlaEngine;
import dev.vigil.collector.state.CheckBoard;
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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
    private Ingestor ingestor;
    private ConnectionGuard guard;
    private volatile HttpServer server;
    private long replayStartNanos;

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
        CollectorMetrics metrics = new CollectorMetrics();
        journal = CollectorJournal.open(config.dataDir().resolve("journal"));
        outbox = Outbox.open(vertx, config.webhooks(), config.dataDir().resolve("outbox"), journal.lastIndex(),
                clock, Backoff.DEFAULT, metrics.registry());
        IncidentBook incidents = new IncidentBook(outbox);
        SlaEngine sla = new SlaEngine(clock);
        CheckBoard board = new CheckBoard(config.thresholds(), List.of(sla, incidents));
        List<String> agents = config.agents().stream().map(AgentConfig::name).toList();
        IngestCounters counters = new IngestCounters(metrics.registry(), agents);
        ingestor = new Ingestor(journal, board, clock, counters, config.dataDir().resolve("dedup-marks"));
        metrics.registerChecks(board, sla);
        metrics.registerIncidents(incidents);
        metrics.registerJournal(journal);

        Router router = Router.router(vertx);
        guard = new ConnectionGuard(vertx, config.ingest(), counters);
        new IngestRoute(new AgentAuthenticator(config.agents()), ingestor, counters, () -> replayed, config.ingest(),
                guard).mount(router);
        new ApiRoutes(board, sla, incidents, outbox, metrics, clock, () -> replayed).mount(router);
        new AssignmentRoute(config.agents(), config.assignments(), metrics.registry(), clock).mount(router);
        return router;
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
        replayed = true;
        outbox.start();
        expireJournal();
        vertx.setPeriodic(RETENTION_CHECK.toMillis(), tick -> expireJournal());
        LOG.info("Replayed {} journal entries in {} ms", journal.entries(),
                (System.nanoTime() - replayStartNanos) / 1_000_000);
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
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
