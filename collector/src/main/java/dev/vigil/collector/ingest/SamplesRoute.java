package dev.vigil.collector.ingest;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.IngestLimits;
import dev.vigil.protocol.Sample;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/samples}: samples measured by another tool, or backfilled, as JSON (see
 * {@link SampleJson}). The sender is a configured agent and authenticates as one
 * ({@link AgentAuthenticator}); its name becomes the samples' agent. The edge is ingest's
 * ({@link RequestEdge#guardAgentPost}): the request deadline, 503 while the journal is replayed, the
 * in-flight cap (counted apart from ingest's), the media type, the encoding and the body limit, in that
 * order and before the body is read, each refusal counted in {@code vigil_ingest_rejected_total{reason}}.
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
    private static final String NOTHING_STORED = "; no sample of this request was stored";

    private final AgentAuthenticator authenticator;
    private final ExternalSamples samples;
    private final IngestCounters counters;
    private final IngestLimits limits;
    private final ConnectionGuard guard;
    private final InstantSource clock;
    private final RequestEdge edge;

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
        this.limits = Objects.requireNonNull(limits, "limits");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.edge = new RequestEdge(counters, ready, Math.min(MAX_BODY_BYTES, limits.maxBodyBytes()), NOTHING_STORED);
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        edge.guardAgentPost(router.route(HttpMethod.POST, PATH), authenticator, guard, limits, MEDIA_TYPE,
                        "sample requests")
                .handler(this::take)
                .failureHandler(this::failed);
    }

    private void take(RoutingContext context) {
        byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        List<Sample> parsed;
        try {
            parsed = SampleJson.read(body);
        } catch (SampleJson.InvalidSamples e) {
            counters.rejected(RejectReason.MALFORMED);
            JsonError.send(context, 400, e.getMessage() + NOTHING_STORED);
            return;
        }
        String agent = context.get(RequestEdge.AGENT);
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
        if (edge.refuseIfTooLarge(context) || context.response().ended()) {
            return;
        }
        LOG.error("Taking posted samples failed", context.failure());
        JsonError.send(context, 500, "internal error; samples answered before the failure are kept, retry the "
                + "request: what the collector holds is recognised as duplicates");
    }
}
