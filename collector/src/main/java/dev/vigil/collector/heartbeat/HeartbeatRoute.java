package dev.vigil.collector.heartbeat;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.HeartbeatConfig;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.ingest.ExternalSamples;
import dev.vigil.collector.ingest.IngestCounters;
import dev.vigil.collector.ingest.RejectReason;
import dev.vigil.collector.ingest.RequestEdge;
import dev.vigil.protocol.Sample;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /api/v1/heartbeat/<id>} (and {@code GET}, for clients that can only fetch a URL): a job
 * reports that it ran. Authenticated by the heartbeat's own token, as {@code Authorization: Bearer
 * <token>} or as the password of HTTP basic authentication ({@code https://:<token>@host/...}); never in
 * the query string, which proxies and access logs keep. Optional query parameters:
 * {@code status=ok|fail} (default ok) and {@code detail=<text>} (at most 512 bytes). A body is read up
 * to {@value #MAX_BODY_BYTES} bytes and ignored.
 *
 * <p>Answers: 200 {@code {"check", "status", "time", "next_deadline"}}; 400 for an unknown or repeated
 * parameter; 401; 404 for an id not configured; 413; 503 with {@code Retry-After} while the journal
 * is replayed or when the collector's clock is behind the check's last sample by more than 5 minutes.
 */
public final class HeartbeatRoute {
    /** The path, with the heartbeat's id as its last segment. */
    public static final String PATH = "/api/v1/heartbeat/:id";
    /** The largest body read (and ignored), in bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String HEARTBEAT = "vigil.heartbeat";
    private static final Set<String> PARAMETERS = Set.of("status", "detail");

    private final HeartbeatWatch watch;
    private final RequestEdge edge;

    /**
     * A route reporting to {@code watch}.
     *
     * @param counters counts refused requests in {@code vigil_ingest_rejected_total{reason}}
     * @param ready    whether the journal replay has finished; until then requests are refused with 503
     */
    public HeartbeatRoute(HeartbeatWatch watch, IngestCounters counters, BooleanSupplier ready) {
        this.watch = Objects.requireNonNull(watch, "watch");
        this.edge = new RequestEdge(counters, ready, MAX_BODY_BYTES, "; a heartbeat needs none");
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.POST)
                .handler(this::authenticate)
                .handler(edge::readBody)
                .handler(this::beat)
                .failureHandler(this::failed);
    }

    private void authenticate(RoutingContext context) {
        String id = context.pathParam("id");
        Optional<HeartbeatConfig> heartbeat = watch.heartbeat(id);
        if (heartbeat.isEmpty()) {
            JsonError.send(context, 404, "no heartbeat check '" + id + "' is configured");
            return;
        }
        Optional<TokenDigest> presented = token(context.request().getHeader("Authorization"));
        if (presented.isEmpty() || !heartbeat.get().tokenDigest().matches(presented.get())) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            edge.refuse(context, 401, RejectReason.UNAUTHORIZED, "missing or wrong token for heartbeat '" + id + "'");
            return;
        }
        if (edge.refuseIfReplaying(context)) {
            return;
        }
        context.put(HEARTBEAT, heartbeat.get());
        context.next();
    }

    private void beat(RoutingContext context) {
        MultiMap parameters = context.queryParams();
        for (String name : parameters.names()) {
            if (!PARAMETERS.contains(name)) {
                edge.refuse(context, 400, RejectReason.MALFORMED, "unknown parameter '" + name
                        + "' (known: detail, status)");
                return;
            }
            if (parameters.getAll(name).size() > 1) {
                edge.refuse(context, 400, RejectReason.MALFORMED, "parameter '" + name + "' is given more than once");
                return;
            }
        }
        String status = Optional.ofNullable(parameters.get("status")).orElse("ok").trim().toLowerCase(Locale.ROOT);
        if (!status.equals("ok") && !status.equals("fail")) {
            edge.refuse(context, 400, RejectReason.MALFORMED, "status must be ok or fail (was '"
                    + parameters.get("status") + "')");
            return;
        }
        String detail = Optional.ofNullable(parameters.get("detail")).orElse("");
        int detailBytes = detail.getBytes(StandardCharsets.UTF_8).length;
        if (detailBytes > Sample.MAX_DETAIL_BYTES) {
            edge.refuse(context, 400, RejectReason.MALFORMED, "detail must be at most " + Sample.MAX_DETAIL_BYTES
                    + " bytes of UTF-8 (was " + detailBytes + ")");
            return;
        }
        HeartbeatConfig heartbeat = context.get(HEARTBEAT);
        HeartbeatWatch.Beat beat = watch.beat(heartbeat, status.equals("ok"), detail);
        if (beat.verdict() != ExternalSamples.Verdict.ACCEPTED) {
            context.response().putHeader("Retry-After", "60");
            JsonError.send(context, 503, "the collector's clock is more than 5 minutes behind the last sample of "
                    + "heartbeat '" + heartbeat.id() + "' (" + beat.verdict().label() + "); retry later");
            return;
        }
        OptionalLong deadline = beat.deadlineEpochMillis();
        context.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject()
                        .put("check", HeartbeatConfig.AGENT + "/" + heartbeat.id())
                        .put("status", status)
                        .put("time", Instant.ofEpochMilli(beat.scheduledEpochMillis()).toString())
                        .put("next_deadline", deadline.isPresent()
                                ? Instant.ofEpochMilli(deadline.getAsLong()).toString() : null)
                        .encode());
    }

    private void failed(RoutingContext context) {
        if (!edge.refuseIfTooLarge(context)) {
            context.next();
        }
    }

    /** The token of a bearer header, or the password of a basic one; empty for anything else. */
    private static Optional<TokenDigest> token(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String trimmed = authorization.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = trimmed.substring(space + 1).trim();
        if (scheme.equals("bearer") && !credentials.isEmpty()) {
            return Optional.of(TokenDigest.of(credentials));
        }
        if (scheme.equals("basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            String password = colon < 0 ? "" : decoded.substring(colon + 1);
            return password.isEmpty() ? Optional.empty() : Optional.of(TokenDigest.of(password));
        }
        return Optional.empty();
    }
}
