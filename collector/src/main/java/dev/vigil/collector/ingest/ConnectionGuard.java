package dev.vigil.collector.ingest;

import dev.vigil.collector.config.IngestLimits;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps slow and idle connections from holding the collector's sockets: a new connection must
 * deliver its first request head within the request deadline, and a kept-alive connection its next
 * request within the idle timeout after the previous request's deadline; otherwise it is closed. The
 * request deadline itself, from the connection's accept for its first request, is enforced by
 * {@link RequestEdge} with {@link #deadlineNanos}. It also counts the requests Vert.x refuses before
 * routing (request line or headers too long, not HTTP).
 *
 * <p>Vert.x calls it on the collector verticle's event loop only; the map is concurrent so that a
 * second verticle instance would not corrupt it, not because one instance needs it.
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final IngestLimits limits;
    private final IngestCounters counters;
    private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();

    /** A guard enforcing {@code limits}, counting into {@code counters}. */
    public ConnectionGuard(Vertx vertx, IngestLimits limits, IngestCounters counters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** For {@code HttpServer.connectionHandler}: starts the first request's deadline. */
    public void connected(HttpConnection connection) {
        State state = new State(System.nanoTime());
        connections.put(connection, state);
        state.timer = vertx.setTimer(limits.requestTimeout().toMillis(), fired -> {
            if (state.requests == 0) {
                counters.rejected(RejectReason.TIMEOUT);
                connection.close();
            }
        });
        connection.closeHandler(closed -> {
            State gone = connections.remove(connection);
            if (gone != null) {
                vertx.cancelTimer(gone.timer);
            }
        });
    }

    /**
     * For the server's request handler, before routing: a request head arrived, so the connection is
     * in use; it is closed if no further request follows within the idle timeout after this one's deadline.
     */
    public void requestStarted(HttpServerRequest request) {
        State state = connections.get(request.connection());
        if (state == null) {
            return;
        }
        vertx.cancelTimer(state.timer);
        state.requests++;
        // The first request's deadline runs from the accept, covering its head; a later one's from its
        // head, whose arrival the idle timer below bounds.
        state.startNanos = state.requests == 1 ? state.acceptNanos : System.nanoTime();
        long seen = state.requests;
        HttpConnection connection = request.connection();
        state.timer = vertx.setTimer(limits.requestTimeout().plus(limits.idleTimeout()).toMillis(), fired -> {
            if (state.requests == seen) {
                connection.close();
            }
        });
    }

    /** When the request on {@code request}'s connection must have been read, in {@link System#nanoTime()} terms. */
    long deadlineNanos(HttpServerRequest request) {
        State state = connections.get(request.connection());
        long start = state == null ? System.nanoTime() : state.startNanos;
        return start + limits.requestTimeout().toNanos();
    }

    /**
     * For {@code HttpServer.invalidRequestHandler}: counts a request Vert.x could not parse, then answers
     * as Vert.x does by default: 414 for a request line over the limit, 431 for headers over it, else 400,
     * each with {@code Connection: close}.
     */
    public void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        RejectReason reason = RejectReason.BAD_REQUEST;
        if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
            // Netty tells the two apart only by message; Vert.x's default handler does the same.
            if (cause.getMessage().startsWith("An HTTP line is larger than")) {
                reason = RejectReason.URI_TOO_LONG;
            } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
                reason = RejectReason.HEADERS_TOO_LARGE;
            }
        }
        counters.rejected(reason);
        HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    }

    private static final class State {
        final long acceptNanos;
        long startNanos;
        long requests;
        long timer;

        State(long acceptNanos) {
            this.acceptNanos = acceptNanos;
            this.startNanos = acceptNanos;
        }
    }
}
