package dev.vigil.collector.status;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.change.Change;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.IncidentBook;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * The public routes: the status page at {@code GET /}, each service's page at {@code GET /services/{name}}
 * (404 page for an unknown service), and the badges at
 * {@code GET /badges/{service}/status.svg} and {@code GET /badges/{service}/uptime.svg?days=N} (N 1..90,
 * default 30). No token: everything they show is meant for customers (see the package documentation).
 * The page is built in steps on the event loop and kept for {@link #PAGE_TTL}; requests arriving while
 * it is built wait for the same build. A service's page is built at once (one service is cheap) and kept
 * for {@link #PAGE_TTL} too. Answers 503 while the journal is replayed; badges answer 404 for
 * an unknown service and 400 naming {@code days} when it is wrong, as JSON.
 */
public final class StatusRoutes {
    /** How long a built page is served before the next request builds it again. */
    static final Duration PAGE_TTL = Duration.ofSeconds(5);
    /** The longest one step of a page build holds the event loop. */
    static final Duration BUILD_STEP = Duration.ofMillis(10);
    /** The page's policy: nothing is loaded from anywhere, no script runs; inline styles and data images only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:";
    /** How long a badge may be cached by browsers and image proxies, seconds. */
    static final int BADGE_MAX_AGE_SECONDS = 30;
    private static final int DEFAULT_DAYS = 30;

    private final SlaEngine engine;
    private final IncidentBook incidents;
    private final InstantSource clock;
    private final BooleanSupplier ready;
    private final UptimeHistory history;
    private final Supplier<List<Change>> changes;
    /** Each service's built page, by name; emptied when the catalogue changes, so bounded by it. */
    private final Map<String, BuiltPage> servicePages = new HashMap<>();
    private long servicePagesVersion = -1;
    private BuiltPage built;
    private Promise<BuiltPage> building;

    /**
     * Routes over {@code engine} and {@code incidents}.
     *
     * @param changes every recorded change, e.g. {@code ChangeStore::all}; a service's page shows its own,
     *                and only their summary, window and risk
     * @param clock   what "now" is for the page's age
     * @param ready   whether the journal replay has finished; until then everything answers 503
     */
    public StatusRoutes(SlaEngine engine, IncidentBook incidents, Supplier<List<Change>> changes, InstantSource clock,
            BooleanSupplier ready) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.history = new UptimeHistory(engine);
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get("/").handler(this::page);
        router.get("/services/:name").handler(this::servicePage);
        router.get("/badges/:service/status.svg").handler(this::statusBadge);
        router.get("/badges/:service/uptime.svg").handler(this::uptimeBadge);
    }

    private void page(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        long now = clock.millis();
        BuiltPage page = built;
        if (page != null && page.catalogueVersion == engine.catalogue().version() && now >= page.builtAtMillis
                && now - page.builtAtMillis < PAGE_TTL.toMillis()) {
            send(context, page);
            return;
        }
        Promise<BuiltPage> promise = building;
        if (promise == null) {
            promise = Promise.promise();
            building = promise;
            buildStep(context.vertx(), new StatusPageBuilder(engine, incidents, history), engine.catalogue().version(),
                    promise);
        }
        promise.future().onComplete(result -> {
            if (result.succeeded()) {
                send(context, result.result());
            } else {
                context.fail(result.cause());
            }
        });
    }

    /** Answers the "starting" page with 503 and says so while the journal is replayed. */
    private boolean starting(RoutingContext context) {
        if (ready.getAsBoolean()) {
            return false;
        }
        context.response().setStatusCode(503).putHeader("Retry-After", "1");
        pageHeaders(context.response()).putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Service status</title>"
                        + "</head><body><p>The status page is starting; retry in a moment.</p></body></html>\n");
        return true;
    }

    private void servicePage(RoutingContext context) {
        if (starting(context)) {
            return;
        }
        String name = context.pathParam("name");
        long now = clock.millis();
        long version = engine.catalogue().version();
        if (version != servicePagesVersion) {
            servicePages.clear();
            servicePagesVersion = version;
        }
        BuiltPage page = servicePages.get(name);
        if (page != null && now >= page.builtAtMillis && now - page.builtAtMillis < PAGE_TTL.toMillis()) {
            send(context, page);
            return;
        }
        Optional<ServiceDetail> detail = StatusPageBuilder.detail(engine, incidents, history, changes.get(), name);
        if (detail.isEmpty()) {
            // Not kept: the names asked for are the client's choice, so keeping them would let anyone grow the map.
            pageHeaders(context.response()).setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
                    .end(StatusHtml.notFound(name));
            return;
        }
        byte[] html = StatusHtml.render(detail.get()).getBytes(StandardCharsets.UTF_8);
        long builtAt = detail.get().generatedAtMillis();
        context.vertx().executeBlocking(() -> gzip(html), false).onComplete(gzipped -> {
            if (gzipped.failed()) {
                context.fail(gzipped.cause());
                return;
            }
            BuiltPage built = new BuiltPage(builtAt, version, Buffer.buffer(html), Buffer.buffer(gzipped.result()));
            servicePages.put(name, built);
            send(context, built);
        });
    }

    private void buildStep(Vertx vertx, StatusPageBuilder builder, long catalogueVersion, Promise<BuiltPage> promise) {
        try {
            if (!builder.step(BUILD_STEP.toNanos())) {
                // A timer, not runOnContext: only a timer lets requests and ingest run between the steps.
                vertx.setTimer(1, next -> buildStep(vertx, builder, catalogueVersion, promise));
                return;
            }
            renderStep(vertx, new StatusHtml.Rendering(builder.page()), builder.page().generatedAtMillis(),
                    catalogueVersion, promise);
        } catch (RuntimeException e) {
            building = null;
            promise.fail(e);
        }
    }

    private void renderStep(Vertx vertx, StatusHtml.Rendering rendering, long builtAtMillis, long catalogueVersion,
            Promise<BuiltPage> promise) {
        try {
            if (!rendering.step(BUILD_STEP.toNanos())) {
                vertx.setTimer(1, next -> renderStep(vertx, rendering, builtAtMillis, catalogueVersion, promise));
                return;
            }
        } catch (RuntimeException e) {
            building = null;
            promise.fail(e);
            return;
        }
        byte[] html = rendering.html().getBytes(StandardCharsets.UTF_8);
        // Compressing touches no engine state, so it runs off the event loop.
        vertx.executeBlocking(() -> gzip(html), false).onComplete(gzipped -> {
            building = null;
            if (gzipped.failed()) {
                promise.fail(gzipped.cause());
                return;
            }
            built = new BuiltPage(builtAtMillis, catalogueVersion, Buffer.buffer(html), Buffer.buffer(gzipped.result()));
            promise.complete(built);
        });
    }

    private static void send(RoutingContext context, BuiltPage page) {
        HttpServerResponse response = pageHeaders(context.response())
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=" + PAGE_TTL.toSeconds())
                .putHeader("Vary", "Accept-Encoding");
        String accepted = context.request().getHeader("Accept-Encoding");
        if (accepted != null && accepted.contains("gzip")) {
            response.putHeader("Content-Encoding", "gzip").end(page.gzipped);
        } else {
            response.end(page.html);
        }
    }

    private static HttpServerResponse pageHeaders(HttpServerResponse response) {
        return response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
    }

    private void statusBadge(RoutingContext context) {
        Optional<String> service = badgeService(context);
        if (service.isEmpty()) {
            return;
        }
        ServiceStatus status = engine.status(service.get()).orElseThrow();
        boolean maintenance = StatusPageBuilder.inMaintenance(engine.catalogue(), service.get(), clock.millis());
        sendBadge(context, Badge.status(PageState.of(status.state(), maintenance)));
    }

    private void uptimeBadge(RoutingContext context) {
        int days = DEFAULT_DAYS;
        String daysText = context.request().getParam("days");
        if (daysText != null) {
            try {
                days = Integer.parseInt(daysText);
            } catch (NumberFormatException e) {
                days = -1;
            }
            if (days < 1 || days > UptimeHistory.DAYS) {
                JsonError.send(context, 400, "days must be a whole number 1.." + UptimeHistory.DAYS + " (was '"
                        + daysText + "')");
                return;
            }
        }
        Optional<String> service = badgeService(context);
        if (service.isEmpty()) {
            return;
        }
        List<DayFigure> all = history.days(service.get());
        double uptime = UptimeHistory.uptime(all.subList(all.size() - days, all.size())).orElse(Double.NaN);
        sendBadge(context, Badge.uptime(days, uptime));
    }

    /** The service the badge is for, or empty once an error has been answered. */
    private Optional<String> badgeService(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return Optional.empty();
        }
        String service = context.pathParam("service");
        if (engine.status(service).isEmpty()) {
            JsonError.send(context, 404, "no service named '" + service + "'");
            return Optional.empty();
        }
        return Optional.of(service);
    }

    private static void sendBadge(RoutingContext context, Badge badge) {
        context.response()
                .putHeader("Content-Type", "image/svg+xml; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=" + BADGE_MAX_AGE_SECONDS)
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(badge.svg());
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** A built page: its bytes plain and gzipped, and what it was built from. */
    private record BuiltPage(long builtAtMillis, long catalogueVersion, Buffer html, Buffer gzipped) {
    }
}
