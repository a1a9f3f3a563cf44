package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running collector, in process: what {@link CollectorMain} starts, and what end-to-end tests and
 * benchmarks start directly. It owns its Vert.x instance and closes it.
 *
 * <pre>{@code
 * try (Collector collector = Collector.start(config, InstantSource.system())) {
 *     URI ingest = collector.baseUri().resolve("/api/v1/ingest");
 * }
 * }</pre>
 */
public final class Collector implements AutoCloseable {
    /** Long enough to replay a large journal; a hung start is still reported, not waited on forever. */
    private static final long WAIT_MINUTES = 30;

    private final Vertx vertx;
    private final CollectorVerticle verticle;
    private final String host;
    private final String scheme;

    private Collector(Vertx vertx, CollectorVerticle verticle, String host, String scheme) {
        this.vertx = vertx;
        this.verticle = verticle;
        this.host = host;
        this.scheme = scheme;
    }

    /**
     * Starts a collector and blocks until it listens and has replayed its journal, i.e. until
     * {@code /healthz} answers 200 and ingest is open.
     *
     * @param config the configuration; port 0 listens on a free port, see {@link #port()}
     * @param clock  the collector's clock: receive times, SLA windows, webhook timestamps
     * @throws IllegalStateException when the collector cannot start (port taken, data directory unusable);
     *                               everything it opened is closed again
     */
    public static Collector start(CollectorConfig config, InstantSource clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Vertx vertx = Vertx.vertx();
        CollectorVerticle verticle = new CollectorVerticle(config, clock);
        try {
            await(vertx.deployVerticle(verticle).compose(id -> verticle.ready()));
        } catch (RuntimeException e) {
            closeQuietly(vertx);
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("collector failed to start on " + config.listen().getHostString() + ":"
                    + config.listen().getPort() + ": " + cause.getMessage(), cause);
        }
        return new Collector(vertx, verticle, config.listen().getHostString(),
                config.tls().isPresent() ? "https" : "http");
    }

    /** The port the collector listens on. */
    public int port() {
        return verticle.port();
    }

    /**
     * The base URL of the collector's HTTP interface, e.g. {@code http://127.0.0.1:9470}, or
     * {@code https://...} when it listens with TLS.
     */
    public URI baseUri() {
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + literal + ":" + port());
    }

    /** Stops serving, closes the journal and the outbox, and waits for Vert.x to stop. */
    @Override
    public void close() {
        await(vertx.close());
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            await(vertx.close());
        } catch (RuntimeException ignored) {
            // The start failure is what the caller needs to see, not a second failure while cleaning up.
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }
}
