package dev.vigil.agent.probe;

import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the request of each hop from a check's settings: its method, headers, body and
 * credentials. Credentials (the check's {@code basic_auth} or {@code bearer_token}, and any
 * {@code Authorization} or {@code Cookie} header it sets) and a {@code Host} override go only to the
 * check's own host, as browsers and curl do after a redirect to another host.
 */
final class RequestBuilder {
    static final String USER_AGENT = "Vigil-Agent/0.1";

    /** Headers meant for the check's own host (its credentials, a Host override): not sent to another. */
    private static final Set<String> OWN_HOST_ONLY = Set.of("authorization", "cookie", "host");
    /** Headers the probe owns: message framing and connection handling. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

    private final List<HttpHeader> headers;
    private final Optional<String> authorization;
    private final boolean checkHasBody;

    RequestBuilder(HttpProbeSpec spec) {
        this.headers = spec.headers();
        this.authorization = spec.auth().map(RequestBuilder::authorization);
        this.checkHasBody = !spec.body().isEmpty();
    }

    /** The request of {@code hop}; for HTTP/2 without {@code Connection: close}, which HTTP/2 forbids. */
    FullHttpRequest build(HopRequest hop, boolean http2) {
        ByteBuf body = hop.body().isEmpty()
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(hop.body(), StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.valueOf(hop.method().name()), hop.requestTarget(), body);
        HttpHeaders out = request.headers();
        out.set(HttpHeaderNames.HOST, hop.hostHeader())
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*");
        // A redirect that turned the request into a GET dropped the body, and with it its type.
        boolean bodyDropped = checkHasBody && hop.body().isEmpty();
        Set<String> named = new HashSet<>();
        for (HttpHeader header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (FRAMING.contains(name)
                    || !hop.sameHost() && OWN_HOST_ONLY.contains(name)
                    || bodyDropped && name.equals("content-type")) {
                continue;
            }
            if (named.add(name)) {
                out.set(header.name(), header.value());
            } else {
                out.add(header.name(), header.value());
            }
        }
        if (hop.sameHost() && authorization.isPresent()) {
            out.set(HttpHeaderNames.AUTHORIZATION, authorization.get());
        }
        if (body.isReadable() || hop.method() == HttpMethod.POST || hop.method() == HttpMethod.PUT
                || hop.method() == HttpMethod.PATCH) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        if (!http2) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return request;
    }

    private static String authorization(HttpAuth auth) {
        if (auth instanceof HttpAuth.Basic basic) {
            String pair = basic.username() + ":" + basic.password();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return "Bearer " + ((HttpAuth.Bearer) auth).token();
    }
}
