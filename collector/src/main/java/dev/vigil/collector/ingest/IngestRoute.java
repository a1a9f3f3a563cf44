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
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/ingest}: behind the agent edge ({@link RequestEdge#guardAgentPost}: deadline,
 * credentials, replay, in-flight cap, media type {@link BatchCodec#MEDIA_TYPE}, encoding, body limit
 * {@link IngestLimits#maxBodyBytes()}), decodes the batch, hands it to the {@link Ingestor} and
 * answers with the ack. A batch the collector cannot read yet is refused with 422, a malformed one
 * with 400; either way nothing of it is stored.
 */
public final class IngestRoute {
    /** The path agents post batches to. */
    public static final String PATH = "/api/v1/ingest";
    /** The default limit of a body, in bytes (16 MiB); see {@link IngestLimits#maxBodyBytes()}. */
    public static final long BODY_LIMIT_BYTES = IngestLimits.DEFAULT.maxBodyBytes();

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoute.class);

    private final AgentAuthenticator authenticator;
    private final Ingestor ingestor;
    private final IngestCounters counters;
    private final IngestLimits limits;
    private final ConnectionGuard guard;
    private final RequestEdge edge;

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
        this.limits = Objects.requireNonNull(limits, "limits");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.edge = new RequestEdge(counters, ready, limits.maxBodyBytes(), "");
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        edge.guardAgentPost(router.route(HttpMethod.POST, PATH), authenticator, guard, limits, BatchCodec.MEDIA_TYPE,
                        "ingest requests")
                .handler(this::ingest)
                .failureHandler(this::failed);
    }

    private void ingest(RoutingContext context) {
        RequestBody body = context.body();
        byte[] bytes = body.buffer() == null ? new byte[0] : body.buffer().getBytes();
        int version = BatchCodec.declaredVersion(bytes);
        if (version >= 0 && !BatchCodec.reads(version)) {
            // Not the agent's records' fault: one side is older. 422 tells the agent to keep them and retry.
            counters.rejected(RejectReason.UNPROCESSABLE);
            JsonError.send(context, 422, "batch version " + version + " is not read by this collector (it reads "
                    + BatchCodec.OLDEST_VERSION + ".." + BatchCodec.VERSION + "); the agent keeps the samples until agent and collector match");
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
        Ack ack = ingestor.ingest(context.get(RequestEdge.AGENT), batch);
        context.response()
                .putHeader("Content-Type", AckCodec.MEDIA_TYPE)
                .end(Buffer.buffer(AckCodec.encode(ack)));
    }

    private void failed(RoutingContext context) {
        if (edge.refuseIfTooLarge(context) || context.response().ended()) {
            return;
        }
        LOG.error("Ingest failed", context.failure());
        JsonError.send(context, 500, "internal error; the batch was not acknowledged");
    }
}
