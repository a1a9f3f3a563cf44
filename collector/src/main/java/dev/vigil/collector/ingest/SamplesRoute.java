package dev.vigil.collector.ingest;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.IngestLimits;
import dev.vigil.protocol.Sample;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/samples}: samples measured by another tool, or backfilled, as JSON (see
 * {@link SampleJson}). The sender is a configured agent and authenticates as one
 * ({@link AgentAuthenticator}); its name becomes the samples' agent. The edge is ingest's: the
 * request deadline, 503 while the journal is replayed, the in-flight cap (counted apart from
 * ingest's), the media type, the encoding and the body limit, in that order and before the body is
 * read, each refusal counted in {@code vigil_ingest_rejected_total{reason}}.
 *
 * <p>A body with any malformed element is refused with 400 and nothing of it is stored. Otherwise the
 * answer is 200 {@code {"accepted": n, "duplicates": m, "rejected": [...]}}: each sample is journaled
 * and applied, or was already held, or is refused for good for being outside the horizon or not after
 * its check's last sample ({@link ExternalSamples}).
 */
public final class SamplesRoute {
    /** The path other tools post samples to. */
    public static final String PATH = "/api/v1/samples";
    /**
     * The largest body, in bytes, unless {@code ingest.max_body_bytes} is smaller: a full request of
     * {@value SampleJson#MAX_SAMPLES} samples with the longest check ids and details fits.
     */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SamplesRoute.class);
    private static final String MEDIA_TYPE = "application/json";
    private static final String BODY_READ = "vigil.samplesBodyRead";
    private static final String NOTHING_STORED = "; no sample of this request was stored";

    private final AgentAuthenticator authenticator;
    private final ExternalSamples samples;
    private final IngestCounters counters;
    private final BooleanSupplier ready;
    private final IngestLimits limits;
    private final ConnectionGuard guard;
    private final InstantSource clock;
    private final BodyHandler bodyHandler;
    private final int maxBodyBytes;
    private int inFlight;

    /**
     * A route taking samples into {@code samples}.
     *
     * @param ready  whether the journal replay has finished; until then requests are refused with 503
     * @param limits the request deadline, the in-flight cap and the body limit (at most {@link #MAX_BODY_BYTES})
     * @param guard  the connection guard the server reports connections and requests to, for deadlines
     * @param clock  the receive time of the samples
     */
    public SamplesRoute(AgentAuthenticator authenticator, ExternalSamples samples, IngestCounters counters,
            BooleanSupplier ready, IngestLimits limits, ConnectionGuard guard, InstantSource clock) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBodyBytes = Math.min(MAX_BODY_BYTES, limits.maxBodyBytes());
        this.bodyHandler = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.route(HttpMethod.POST, PATH)
                .handler(this::startDeadline)
                .handler(this::authenticate)
                .handler(this::admit)
                .handler(this::checkMediaType)
                .handler(this::checkEncoding)
                .handler(context -> bodyHandler.handle(context))
                .handler(this::take)
                .failureHandler(this::failed);
    }

    private void startDeadline(RoutingContext context) {
        long remainingNanos = guard.deadlineNanos(context.request()) - System.nanoTime();
        long timer = context.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)), fired -> {
            // Only while the body is being read: once it is, samples may be in the journal and need their answer.
            if (context.get(BODY_READ) == null && !context.response().ended() && !context.response().headWritten()) {
                refuse(context, 408, RejectReason.TIMEOUT, "the request was not received within "
                        + limits.requestTimeout().toMillis() + " ms");
            }
        });
        context.addEndHandler(done -> context.vertx().cancelTimer(timer));
        context.next();
    }

    private void authenticate(RoutingContext context) {
        Authentication authentication = authenticator.authenticate(context.request().getHeader("Authorization"),
                clientCertificate(context.request()));
        if (authentication instanceof Authentication.Refused refused) {
            if (refused.status() == 401) {
                context.response().putHeader("WWW-Authenticate", "Bearer");
            }
            refuse(context, refused.status(), refused.reason(), refused.message());
            return;
        }
        AgentIdentity identity = ((Authentication.Accepted) authentication).identity();
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            refuse(context, 503, RejectReason.REPLAYING, "the collector is replaying its journal; retry shortly");
            return;
        }
        counters.authenticated(identity);
        context.put(IngestRoute.AGENT, identity.agent());
        context.next();
    }

    /** Caps the requests being read and processed; the count is confined to the verticle's event loop. */
    private void admit(RoutingContext context) {
        if (inFlight >= limits.maxInFlight()) {
            context.response().putHeader("Retry-After", "1");
            refuse(context, 429, RejectReason.OVERLOADED, "more than " + limits.maxInFlight()
                    + " sample requests in flight; retry after the time in Retry-After");
            return;
        }
        inFlight++;
        boolean[] released = {false};
        context.addEndHandler(done -> {
            if (!released[0]) {
                released[0] = true;
                inFlight--;
            }
        });
        context.next();
    }

    private void checkMediaType(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(MEDIA_TYPE)) {
            refuse(context, 415, RejectReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + MEDIA_TYPE + " (was "
                    + (contentType == null ? "none" : "'" + contentType + "'") + ")");
            return;
        }
        context.next();
    }

    /** The server has undone gzip and deflate and dropped the header; one still present it could not undo. */
    private void checkEncoding(RoutingContext context) {
        String encoding = context.request().getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            refuse(context, 415, RejectReason.UNSUPPORTED_ENCODING,
                    "Content-Encoding must be gzip, deflate or identity (was '" + encoding + "')");
            return;
        }
        context.next();
    }

    private void take(RoutingContext context) {
        context.put(BODY_READ, Boolean.TRUE);
        byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        List<Sample> parsed;
        try {
            parsed = SampleJson.read(body);
        } catch (SampleJson.InvalidSamples e) {
            counters.rejected(RejectReason.MALFORMED);
            JsonError.send(context, 400, e.getMessage() + NOTHING_STORED);
            return;
        }
        String agent = context.get(IngestRoute.AGENT);
        ExternalSamples.Answer answer = samples.accept(agent, parsed, clock.millis());
        JsonArray rejected = new JsonArray();
        for (ExternalSamples.Rejected sample : answer.rejected()) {
            rejected.add(new JsonObject()
                    .put("index", sample.index())
                    .put("check", sample.check())
                    .put("time", Instant.ofEpochMilli(sample.scheduledEpochMillis()).toString())
                    .put("reason", sample.reason().label())
                    .put("message", sample.message()));
        }
        if (!answer.rejected().isEmpty()) {
            LOG.warn("Refused {} of {} samples posted by {}, e.g. samples[{}]: {}", answer.rejected().size(),
                    parsed.size(), agent, answer.rejected().get(0).index(), answer.rejected().get(0).message());
        }
        context.response()
                .putHeader("Content-Type", MEDIA_TYPE)
                .end(new JsonObject()
                        .put("accepted", answer.accepted())
                        .put("duplicates", answer.duplicates())
                        .put("rejected", rejected)
                        .encode());
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            refuse(context, 413, RejectReason.TOO_LARGE, "body exceeds the limit of " + maxBodyBytes + " bytes"
                    + NOTHING_STORED);
            return;
        }
        if (context.response().ended()) {
            return;
        }
        LOG.error("Taking posted samples failed", context.failure());
        JsonError.send(context, 500, "internal error; samples answered before the failure are kept, retry the "
                + "request: what the collector holds is recognised as duplicates");
    }

    /**
     * Answers {@code status} and counts {@code reason}, as ingest does: a plain body of a declared length
     * is left for Vert.x to read past; a chunked or compressed one, or a timed-out request, ends the
     * connection once the answer is written.
     */
    private void refuse(RoutingContext context, int status, RejectReason reason, String message) {
        counters.rejected(reason);
        if (reason == RejectReason.TIMEOUT || !drainable(context.request())) {
            HttpConnection connection = context.request().connection();
            context.response().putHeader("Connection", "close");
            context.addEndHandler(done -> connection.close());
        }
        JsonError.send(context, status, message);
    }

    private static boolean drainable(HttpServerRequest request) {
        if (request.isEnded()) {
            return true;
        }
        String length = request.getHeader("Content-Length");
        try {
            return length != null && Long.parseLong(length.trim()) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> clientCertificate(HttpServerRequest request) {
        SSLSession session = request.isSSL() ? request.sslSession() : null;
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            // No certificate presented (client_auth: optional): the token alone must authenticate.
            return Optional.empty();
        }
    }
}
