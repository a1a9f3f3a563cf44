package dev.vigil.collector.ingest;

import dev.vigil.collector.api.JsonError;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.InvalidRecord;
import dev.vigil.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/ingest}: authenticates the agent by its bearer token, checks the media type
 * and size, decodes the batch and answers with the ack. Checks run in that order, each before the
 * body is read, so an unauthenticated client cannot make the collector buffer 16 MiB.
 */
public final class IngestRoute {
    /** The path agents post batches to. */
    public static final String PATH = "/api/v1/ingest";
    /** The largest body accepted, in bytes (16 MiB). */
    public static final long BODY_LIMIT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoute.class);
    private static final String AGENT = "vigil.agent";

    private final AgentAuthenticator authenticator;
    private final Ingestor ingestor;
    private final IngestCounters counters;
    private final BooleanSupplier ready;
    private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);

    /**
     * A route for {@code ingestor}.
     *
     * @param ready whether the journal replay has finished; until then batches are refused with 503
     */
    public IngestRoute(AgentAuthenticator authenticator, Ingestor ingestor, IngestCounters counters,
            BooleanSupplier ready) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.ready = Objects.requireNonNull(ready, "ready");
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.route(HttpMethod.POST, PATH)
                .handler(this::authenticate)
                .handler(this::checkMediaType)
                .handler(this::readBody)
                .handler(this::ingest)
                .failureHandler(this::failed);
    }

    private void authenticate(RoutingContext context) {
        Optional<String> agent = authenticator.authenticate(context.request().getHeader("Authorization"));
        if (agent.isEmpty()) {
            counters.rejected(RejectReason.UNAUTHORIZED);
            context.response().putHeader("WWW-Authenticate", "Bearer");
            JsonError.send(context, 401, "missing or unknown bearer token");
            return;
        }
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "1");
            JsonError.send(context, 503, "the collector is replaying its journal; retry shortly");
            return;
        }
        context.put(AGENT, agent.get());
        context.next();
    }

    private void checkMediaType(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(BatchCodec.MEDIA_TYPE)) {
            counters.rejected(RejectReason.UNSUPPORTED_MEDIA_TYPE);
            JsonError.send(context, 415, "Content-Type must be " + BatchCodec.MEDIA_TYPE
                    + " (was " + (contentType == null ? "none" : "'" + contentType + "'") + ")");
            return;
        }
        context.next();
    }

    // Vert.x Web refuses a BodyHandler after user handlers on one route; called from a user handler it
    // runs where we want it, after the header checks, while the request has not been read yet.
    private void readBody(RoutingContext context) {
        bodyHandler.handle(context);
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
            counters.rejected(RejectReason.TOO_LARGE);
            JsonError.send(context, 413, "body exceeds the limit of " + BODY_LIMIT_BYTES + " bytes");
            return;
        }
        LOG.error("Ingest failed", context.failure());
        JsonError.send(context, 500, "internal error; the batch was not acknowledged");
    }
}
