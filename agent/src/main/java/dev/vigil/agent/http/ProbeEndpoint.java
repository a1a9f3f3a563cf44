package dev.vigil.agent.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletionStage;

/**
 * What answers {@code GET /probe} on the agent's HTTP endpoint: one probe run per request, on demand,
 * as Prometheus' blackbox_exporter answers it.
 */
public interface ProbeEndpoint {

    /** No probe endpoint: {@code /probe} is not found. */
    ProbeEndpoint NONE = (uri, headers, loop) -> null;

    /**
     * Starts answering one request, without blocking: {@code uri} holds the query parameters,
     * {@code headers} the request headers, and {@code loop} is the request connection's event loop,
     * on which a probe may run. Returns {@code null} when there is no probe endpoint; otherwise the
     * stage completes (normally, on any thread) with the answer to send.
     */
    CompletionStage<ProbeAnswer> probe(QueryStringDecoder uri, HttpHeaders headers, EventLoop loop);
}
