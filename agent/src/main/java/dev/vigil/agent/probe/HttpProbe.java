package dev.vigil.agent.probe;

import dev.vigil.agent.config.CheckConfig;
import dev.vigil.agent.config.HttpProbeSpec;
import dev.vigil.protocol.Outcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Probes an HTTP(S) URL: resolve, connect, TLS handshake (https), send one request with
 * {@code Connection: close}, read the status and up to {@value #MAX_BODY_BYTES} bytes of body, close.
 * A status outside {@code expect_status} is {@link Outcome#STATUS_MISMATCH}.
 */
public final class HttpProbe implements Probe {
    /** The most body bytes read before the connection is closed; the rest is not needed. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final String USER_AGENT = "Vigil-Agent/0.1";

    private final HttpProbeSpec spec;
    private final Duration timeout;
    private final DnsNameResolver resolver;
    private final SslContext tls;
    private final HttpMethod method;
    private final String requestTarget;
    private final String hostHeader;

    /**
     * A probe for {@code check}, whose settings are {@code spec}, resolving names and speaking TLS
     * with what {@code factory} shares.
     */
    public HttpProbe(CheckConfig check, HttpProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.resolver = factory.resolver(spec.network());
        this.tls = spec.tlsUrl() ? factory.tls().client(spec.tls(), List.of()) : null;
        this.method = HttpMethod.valueOf(spec.method().name());
        URI url = spec.url();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.requestTarget = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        boolean defaultPort = url.getPort() == -1 || url.getPort() == (spec.tlsUrl() ? 443 : 80);
        this.hostHeader = defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), spec.port());
        loop.execute(() -> {
            run.begin();
            run.resolve(resolver, spec.port(), address -> connect(run, address));
        });
        return run.result();
    }

    private void connect(ProbeRun run, InetSocketAddress address) {
        ResponseReader reader = new ResponseReader(run);
        run.connect(address, spec.network().sourceAddress(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                if (spec.tlsUrl()) {
                    SslHandler ssl = tls.newHandler(channel.alloc(), spec.tls().serverName().orElse(spec.host()),
                            spec.port());
                    // The run's own deadline bounds the handshake; Netty's 10 s default would only mask it.
                    ssl.setHandshakeTimeoutMillis(0);
                    pipeline.addLast(ssl);
                }
                pipeline.addLast(new FirstByteMarker(run), new HttpClientCodec(), reader);
            }
        }, channel -> {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                send(run, channel);
                return;
            }
            run.handshaking();
            ssl.handshakeFuture().addListener(handshake -> {
                if (run.done()) {
                    return;
                }
                if (!handshake.isSuccess()) {
                    run.fail(handshake.cause());
                    return;
                }
                run.handshaken();
                TlsSessionFacts.record(run, ssl.engine().getSession());
                send(run, channel);
            });
        });
    }

    private void send(ProbeRun run, Channel channel) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, requestTarget);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (method.equals(HttpMethod.POST)
                || method.equals(HttpMethod.PUT)
                || method.equals(HttpMethod.PATCH)) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        run.exchanging();
        channel.writeAndFlush(request).addListener(written -> {
            if (written.isSuccess()) {
                run.requestSent();
            } else {
                run.fail(written.cause());
            }
        });
    }

    /** Notes when the first (decrypted) response byte arrives; sits between TLS and the HTTP codec. */
    private static final class FirstByteMarker extends ChannelInboundHandlerAdapter {
        private final ProbeRun run;

        FirstByteMarker(ProbeRun run) {
            this.run = run;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            run.firstByte();
            ctx.fireChannelRead(msg);
        }
    }

    /** Reads the response status and counts body bytes; ends the run at the end of the response. */
    private final class ResponseReader extends ChannelInboundHandlerAdapter {
        private final ProbeRun run;
        private long bodyBytes;

        ResponseReader(ProbeRun run) {
            this.run = run;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!run.done() && msg instanceof HttpObject object) {
                    read(object);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void read(HttpObject object) {
            if (object.decoderResult().isFailure()) {
                // Whatever the decoder choked on (a bad status line, a bad header) the peer did not speak HTTP.
                run.fail(new DecoderException(object.decoderResult().cause()));
                return;
            }
            if (object instanceof HttpResponse response) {
                run.status(response.status().code());
            }
            if (object instanceof HttpContent content) {
                bodyBytes += content.content().readableBytes();
                if (object instanceof LastHttpContent || bodyBytes >= MAX_BODY_BYTES) {
                    complete();
                }
            }
        }

        private void complete() {
            int status = run.statusCode();
            if (spec.expectStatus().accepts(status)) {
                run.finish(Outcome.OK, "");
            } else {
                run.finish(Outcome.STATUS_MISMATCH, "status " + status + " not in " + spec.expectStatus());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!run.done()) {
                run.finish(Outcome.CONNECTION_RESET, "connection to " + run.target() + " closed by the peer "
                        + (run.statusCode() == 0 ? "before a response" : "after " + bodyBytes + " body bytes"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.fail(cause);
        }
    }
}
