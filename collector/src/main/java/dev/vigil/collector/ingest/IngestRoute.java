package dev.vigil.collector.ingest;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.IngestLimits;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.InvalidRecord;
import dev.vigil.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
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
 * {@code POST /api/v1/ingest}: authenticates the agent by its credentials (bearer token, client
 * certificate or both, see {@link AgentAuthenticator}), admits at most {@link IngestLimits#maxInFlight()}
 * requests at once, checks the media type and the content encoding, reads the body up to the limit
 * (counted after gzip decompression) and answers with the ack. Checks run in that order, each before
 * the body is read, so an unauthenticated client cannot make the collector buffer or inflate a body.
 *
 * <p>Every refusal is counted in {@code vigil_ingest_rejected_total{reason}}. When the refused body
 * is chunked or compressed, the answer carries {@code Connection: close} and
 * the connection is closed after it: whatever the client still sends is not read, let alone
 * decompressed. A request not read in full by its deadline ({@link IngestLimits#requestTimeout()}) is
 * answered 408 the same way.
 */
public final class IngestRoute {
    /** The path agents post batches to. */
    public static final String PATH = "/api/v1/ingest";
    /** The default limit of a body, in bytes (16 MiB); see {@link IngestLimits#maxBodyBytes()}. */
    public static final long BODY_LIMIT_BYTES = IngestLimits.DEFAULT.maxBodyBytes();
    /** The routing context key of the authenticated agent's name, a {@code String}. */
    public static final String AGENT = "vigil.agent";
    /** The routing context key of the authenticated agent's tenant, a {@code String}. */
    public static final String TENANT = "vigil.tenant";

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoute.class);
    private static final String BODY_READ = "vigil.bodyRead";

    private final AgentAuthenticator authenticator;
    private final Ingestor ingestor;
    private final IngestCounters counters;
    private final BooleanSupplier ready;
    private final IngestLimits limits;
    private final ConnectionGuard guard;
    private final BodyHandler bodyHandler;
    private int inFlight;

    /**
     * A route for {@code ingestor}.
     *
     * @param ready  whether the journal replay has finished; until then batches are refused with 503
     * @param limits the body limit, the request deadline and the in-flight cap
     * @param guard  the connection guard the server reports connections and requests to, for deadlines
     */
    public IngestRoute(AgentAuthenticator authenticator, Ingestor ingestor, IngestCounters counters,
            BooleanSupplier ready, IngestLimits limits, ConnectionGuard guard) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.bodyHandler = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.route(HttpMethod.POST, PATH)
                .handler(this::startDeadline)
                .handler(this::authenticate)
                .handler(this::admit)
                .handler(this::checkMediaType)
                .handler(this::checkEncoding)
                .handler(this::readBody)
                .handler(this::bodyRead)
                .handler(this::ingest)
                .failureHandler(this::failed);
    }

    private void startDeadline(RoutingContext context) {
        long remainingNanos = guard.deadlineNanos(context.request()) - System.nanoTime();
        long timer = context.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)), fired -> {
            // Only while the body is being read: once it is, the batch may be in the journal and must get its ack.
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
        context.put(AGENT, identity.agent());
        context.put(TENANT, identity.tenant());
        context.next();
    }

    /** Caps the requests being read and processed; the count is confined to the verticle's event loop. */
    private void admit(RoutingContext context) {
        if (inFlight >= limits.maxInFlight()) {
            context.response().putHeader("Retry-After", "1");
            refuse(context, 429, RejectReason.OVERLOADED, "more than " + limits.maxInFlight()
                    + " ingest requests in flight; retry after the time in Retry-After");
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
        if (!mediaType.equals(BatchCodec.MEDIA_TYPE)) {
            refuse(context, 415, RejectReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + BatchCodec.MEDIA_TYPE
                    + " (was " + (contentType == null ? "none" : "'" + contentType + "'") + ")");
            return;
        }
        context.next();
    }

    /**
     * The server decompresses gzip and deflate bodies as they arrive and then drops the
     * Content-Encoding header; one still present is an encoding it could not undo.
     */
    private void checkEncoding(RoutingContext context) {
        String encoding = context.request().getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            refuse(context, 415, RejectReason.UNSUPPORTED_ENCODING,
                    "Content-Encoding must be gzip, deflate or identity (was '" + encoding + "')");
            return;
        }
        context.next();
    }

    // Vert.x Web refuses a BodyHandler after user handlers on one route; called from a user handler it
    // runs where we want it, after the header checks, while the request has not been read yet. It counts
    // the bytes it receives, i.e. after decompression, and fails with 413 past the limit.
    private void readBody(RoutingContext context) {
        bodyHandler.handle(context);
    }

    private void bodyRead(RoutingContext context) {
        context.put(BODY_READ, Boolean.TRUE);
        context.next();
    }

    private void ingest(RoutingContext context) {
        RequestBody body = context.body();
        byte[] bytes = body.buffer() == null ? new byte[0] : body.buffer().getBytes();
        int version = BatchCodec.declaredVersion(bytes);
        if (version >= 0 && version != BatchCodec.VERSION) {
            // Not the agent's records' fault: one side is older. 422 tells the agent to keep them and retry.
            counters.rejected(RejectReason.UNPROCESSABLE);
            JsonError.send(context, 422, "batch version " + version + " is not read by this collector (it reads "
                    + BatchCodec.VERSION + "); the agent keeps the samples until agent and collector match");
            return;
        }
        Batch batch;
        try {
            batch = BatchCodec.decode(bytes);
        } catch (ProtocolException e) {
            counters.rejected(RejectReason.MALFORMED);
            JsonError.send(context, 400, e.getMessage());
            return;
        }
        for (InvalidRecord invalid : batch.invalid()) {
            if (invalid.retryable()) {
                counters.rejected(RejectReason.UNPROCESSABLE);
                JsonError.send(context, 422, invalid.message()
                        + "; nothing of this batch was stored, upgrade the collector");
                return;
            }
        }
        Ack ack = ingestor.ingest(context.get(AGENT), batch);
        context.response()
                .putHeader("Content-Type", AckCodec.MEDIA_TYPE)
                .end(Buffer.buffer(AckCodec.encode(ack)));
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            refuse(context, 413, RejectReason.TOO_LARGE, "body exceeds the limit of " + limits.maxBodyBytes()
                    + " bytes");
            return;
        }
        if (context.response().ended()) {
            return;
        }
        LOG.error("Ingest failed", context.failure());
        JsonError.send(context, 500, "internal error; the batch was not acknowledged");
    }

    /**
     * Answers {@code status} and counts {@code reason}. A plain body of a declared length, even one over
     * the limit, is left for Vert.x to read past and discard, so that a client still sending it gets to
     * read the answer (a reset would hide it): that costs bandwidth, not memory, and the connection guard
     * closes the connection if it takes longer than the request deadline plus the idle timeout. A chunked
     * or compressed body and a timed-out request end the connection once the answer is written: the
     * rest is never read, let alone inflated.
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

    private boolean drainable(HttpServerRequest request) {
        if (request.isEnded()) {
            return true;
        }
        // The server's decompressor drops Content-Length from a compressed request: only plain bodies have one here.
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
