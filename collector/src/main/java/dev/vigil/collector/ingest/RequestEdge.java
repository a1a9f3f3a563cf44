package dev.vigil.collector.ingest;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.IngestLimits;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The edge of one of the collector's write routes: what a request passes before its body is read,
 * and how it is refused. Every refusal is counted in {@code vigil_ingest_rejected_total{reason}}.
 *
 * <p>A route agents post to ({@link #guardAgentPost}) checks, in this order and each before the body
 * is read, so that an unauthenticated client cannot make the collector buffer or inflate a body: the
 * request deadline (408), the agent's credentials ({@link AgentAuthenticator}: 401, 403), the journal
 * replay (503 with {@code Retry-After}), the in-flight cap (429 with {@code Retry-After}), the media
 * type and the content encoding (415), then reads the body up to the limit, counted after
 * decompression (413). A route with credentials of its own uses the parts it needs:
 * {@link #refuseIfReplaying}, {@link #readBody}, {@link #refuseIfTooLarge} and {@link #refuse}.
 *
 * <p>When the refused body is chunked or compressed, or the request timed out, the answer carries
 * {@code Connection: close} and the connection is closed after it: whatever the client still sends is
 * not read, let alone decompressed. One edge serves one route: its in-flight count is that route's.
 * It is used on the collector verticle's event loop only.
 */
public final class RequestEdge {
    /** The routing context key of the authenticated agent's name, a {@code String}. */
    public static final String AGENT = "vigil.agent";
    /** The routing context key of the authenticated agent's tenant, a {@code String}. */
    public static final String TENANT = "vigil.tenant";

    private static final String BODY_READ = "vigil.bodyRead";

    private final IngestCounters counters;
    private final BooleanSupplier ready;
    private final int maxBodyBytes;
    private final String tooLargeNote;
    private final BodyHandler bodyHandler;
    private int inFlight;

    /**
     * An edge for one route.
     *
     * @param counters     counts refusals in {@code vigil_ingest_rejected_total{reason}}
     * @param ready        whether the journal replay has finished; until then requests are refused with 503
     * @param maxBodyBytes the largest body read, in bytes after decompression; a larger one is refused with 413
     * @param tooLargeNote appended to the 413 message, empty for nothing
     */
    public RequestEdge(IngestCounters counters, BooleanSupplier ready, int maxBodyBytes, String tooLargeNote) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.tooLargeNote = Objects.requireNonNull(tooLargeNote, "tooLargeNote");
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0 (was " + maxBodyBytes + ")");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.bodyHandler = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    /**
     * Puts the agent edge in front of {@code route}; after it, the route's next handler has the body and
     * finds the agent's name and tenant under {@link #AGENT} and {@link #TENANT}.
     *
     * @param guard     the connection guard the server reports connections and requests to, for the deadline
     * @param limits    the request deadline and the in-flight cap
     * @param mediaType the one accepted {@code Content-Type}, lower case, parameters aside
     * @param requests  what the route's requests are called in the 429 message, e.g. {@code "ingest requests"}
     * @return {@code route}, to add the route's own handlers to
     */
    public Route guardAgentPost(Route route, AgentAuthenticator authenticator, ConnectionGuard guard,
            IngestLimits limits, String mediaType, String requests) {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(requests, "requests");
        return route
                .handler(context -> startDeadline(context, guard, limits))
                .handler(context -> authenticate(context, authenticator))
                .handler(context -> admit(context, limits.maxInFlight(), requests))
                .handler(context -> checkMediaType(context, mediaType))
                .handler(this::checkEncoding)
                .handler(this::readBody)
                .handler(this::bodyRead);
    }

    /**
     * Reads the body, counting the bytes it receives, i.e. after decompression; past the limit the route
     * fails with 413, for {@link #refuseIfTooLarge}.
     */
    public void readBody(RoutingContext context) {
        // Vert.x Web refuses a BodyHandler after user handlers on one route; called from a user handler it
        // runs where we want it, after the header checks, while the request has not been read yet.
        bodyHandler.handle(context);
    }

    /**
     * For the route's failure handler: answers a body over the limit with 413.
     *
     * @return whether it did; any other failure is the route's to answer
     */
    public boolean refuseIfTooLarge(RoutingContext context) {
        if (context.statusCode() != 413) {
            return false;
        }
        refuse(context, 413, RejectReason.TOO_LARGE, "body exceeds the limit of " + maxBodyBytes + " bytes"
                + tooLargeNote);
        return true;
    }

    /**
     * Answers 503 with {@code Retry-After} while the collector is replaying its journal.
     *
     * @return whether it did
     */
    public boolean refuseIfReplaying(RoutingContext context) {
        if (ready.getAsBoolean()) {
            return false;
        }
        context.response().putHeader("Retry-After", "1");
        refuse(context, 503, RejectReason.REPLAYING, "the collector is replaying its journal; retry shortly");
        return true;
    }

    /**
     * Answers {@code status} with {@code message} as a JSON error and counts {@code reason}. A plain body
     * of a declared length, even one over the limit, is left for Vert.x to read past and discard, so that
     * a client still sending it gets to read the answer (a reset would hide it): that costs bandwidth, not
     * memory, and the connection guard closes the connection if it takes longer than the request deadline
     * plus the idle timeout. A chunked or compressed body and a timed-out request end the connection once
     * the answer is written: the rest is never read, let alone inflated.
     */
    public void refuse(RoutingContext context, int status, RejectReason reason, String message) {
        counters.rejected(reason);
        if (reason == RejectReason.TIMEOUT || !drainable(context.request())) {
            HttpConnection connection = context.request().connection();
            context.response().putHeader("Connection", "close");
            context.addEndHandler(done -> connection.close());
        }
        JsonError.send(context, status, message);
    }

    private void startDeadline(RoutingContext context, ConnectionGuard guard, IngestLimits limits) {
        long remainingNanos = guard.deadlineNanos(context.request()) - System.nanoTime();
        long timer = context.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)), fired -> {
            // Only while the body is being read: once it is, what it carries may be in the journal and
            // must get its answer.
            if (context.get(BODY_READ) == null && !context.response().ended() && !context.response().headWritten()) {
                refuse(context, 408, RejectReason.TIMEOUT, "the request was not received within "
                        + limits.requestTimeout().toMillis() + " ms");
            }
        });
        context.addEndHandler(done -> context.vertx().cancelTimer(timer));
        context.next();
    }

    private void authenticate(RoutingContext context, AgentAuthenticator authenticator) {
        Authentication authentication = authenticator.authenticate(context.request());
        if (authentication instanceof Authentication.Refused refused) {
            if (refused.status() == 401) {
                context.response().putHeader("WWW-Authenticate", "Bearer");
            }
            refuse(context, refused.status(), refused.reason(), refused.message());
            return;
        }
        AgentIdentity identity = ((Authentication.Accepted) authentication).identity();
        if (refuseIfReplaying(context)) {
            return;
        }
        counters.authenticated(identity);
        context.put(AGENT, identity.agent());
        context.put(TENANT, identity.tenant());
        context.next();
    }

    /** Caps the requests being read and processed; the count is confined to the verticle's event loop. */
    private void admit(RoutingContext context, int maxInFlight, String requests) {
        if (inFlight >= maxInFlight) {
            context.response().putHeader("Retry-After", "1");
            refuse(context, 429, RejectReason.OVERLOADED, "more than " + maxInFlight + " " + requests
                    + " in flight; retry after the time in Retry-After");
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

    private void checkMediaType(RoutingContext context, String expected) {
        String contentType = context.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) {
            refuse(context, 415, RejectReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + expected
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

    private void bodyRead(RoutingContext context) {
        context.put(BODY_READ, Boolean.TRUE);
        context.next();
    }

    private static boolean drainable(HttpServerRequest request) {
        if (request.isEnded()) {
            return true;
        }
        // The server's decompressor drops Content-Length from a compressed request: only plain bodies have
        // one here. Netty refuses a malformed or negative one before routing.
        String length = request.getHeader("Content-Length");
        try {
            return length != null && Long.parseLong(length.trim()) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
