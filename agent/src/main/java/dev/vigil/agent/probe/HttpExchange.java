package dev.vigil.agent.probe;

import dev.vigil.config.check.HttpProtocol;
import dev.vigil.protocol.Outcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One hop of an HTTP run: a new connection that carries one request and its response. Resolves
 * the host (or the proxy's), connects (through the proxy's tunnel), handshakes TLS, speaks HTTP/2
 * when ALPN picked {@code h2} (or prior knowledge in clear text) and HTTP/1.1 otherwise, sends the
 * request and hands the response to its {@link HttpRun}.
 *
 * <p>Confined to the run's event loop like the {@link ProbeRun}. Once {@link #retire() retired}
 * (a redirect moved the run on) or once the run is done, its connection's late events do nothing.
 */
final class HttpExchange {
    /** A {@code System.nanoTime} instant not reached yet. */
    static final long UNSET = Long.MIN_VALUE;

    private static final String WATCHER = "watcher";
    // Response heads of real sites exceed Netty's 8 KiB default (cookies, CSP); HTTP/2 allows 8 KiB+ too.
    private static final int MAX_HEADER_BYTES = 64 << 10;
    private static final int MAX_STATUS_LINE_BYTES = 16 << 10;

    private final HttpProbe probe;
    private final HttpRun owner;
    private final ProbeRun run;
    private final HopRequest request;
    private boolean retired;
    private boolean overTls;
    private boolean http2;
    private long readyAt = UNSET;
    private long firstByteAt = UNSET;
    private long endAt = UNSET;
    private HttpResponse head;
    private HttpHeaders wireHeaders;
    private ResponseBody body;

    HttpExchange(HttpProbe probe, HttpRun owner, ProbeRun run, HopRequest request) {
        this.probe = probe;
        this.owner = owner;
        this.run = run;
        this.request = request;
    }

    /** Starts the hop: a new connection for {@link #request()}; call on the run's loop. */
    void start() {
        Optional<HttpProxy> proxy = probe.proxy();
        run.nextHop(proxy.map(HttpProxy::host).orElse(request.host()), target());
        run.resolve(probe.resolver(), proxy.map(HttpProxy::port).orElse(request.port()), this::connect);
    }

    /** Ends this hop's say in the run: what its connection does from now on is ignored. */
    void retire() {
        retired = true;
        if (endAt == UNSET) {
            endAt = System.nanoTime();
        }
    }

    HopRequest request() {
        return request;
    }

    /** Whether this hop's connection speaks TLS (over the proxy's tunnel, if any). */
    boolean overTls() {
        return overTls;
    }

    /** The version of the response {@code response} of this hop came in. */
    SpokenVersion version(HttpResponse response) {
        return http2 ? SpokenVersion.HTTP_2 : SpokenVersion.of(response.protocolVersion());
    }

    /** The response head, if one arrived. */
    Optional<HttpResponse> head() {
        return Optional.ofNullable(head);
    }

    /**
     * The headers of the response head as they came, before decompression rewrote
     * {@code Content-Length} and {@code Content-Encoding}; empty until a head arrived.
     */
    HttpHeaders wireHeaders() {
        return wireHeaders == null ? EmptyHttpHeaders.INSTANCE : wireHeaders;
    }

    /** The body being read, if the run wanted it. */
    Optional<ResponseBody> body() {
        return Optional.ofNullable(body);
    }

    long readyAt() {
        return readyAt;
    }

    long firstByteAt() {
        return firstByteAt;
    }

    long endAt() {
        return endAt;
    }

    /** The target as details name it: {@code host:port}, and the proxy when there is one. */
    String target() {
        String target = ProbeRun.target(request.host(), request.port());
        return probe.proxy().map(proxy -> target + " via proxy " + proxy).orElse(target);
    }

    private boolean ignored() {
        return retired || run.done();
    }

    private void connect(InetSocketAddress address) {
        Optional<HttpProxy> proxy = probe.proxy();
        // Through a proxy the target's name travels in the CONNECT request, unresolved: the proxy looks it up.
        SocketAddress remote = proxy.isPresent()
                ? InetSocketAddress.createUnresolved(request.host(), request.port())
                : address;
        run.connect(remote, probe.spec().network().sourceAddress(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                if (proxy.isPresent()) {
                    channel.pipeline().addLast(proxy.get().handler(address));
                }
                channel.pipeline().addLast(WATCHER, new ConnectionWatcher());
            }
        }, channel -> {
            if (proxy.isPresent()) {
                // The connection goes to the proxy, not to the unresolved target named in the CONNECT.
                run.evidence().remote(address);
            }
            ProxyHandler tunnel = channel.pipeline().get(ProxyHandler.class);
            if (tunnel == null) {
                secure(channel);
                return;
            }
            tunnel.connectFuture().addListener((Future<Channel> tunnelled) -> {
                if (ignored()) {
                    return;
                }
                if (!tunnelled.isSuccess()) {
                    run.finish(Outcome.CONNECT_REFUSED, "proxy " + proxy.get() + " did not open a tunnel to "
                            + ProbeRun.target(request.host(), request.port()) + ": "
                            + FailureClassifier.describe(tunnelled.cause()));
                    return;
                }
                run.tunnelled();
                secure(channel);
            });
        });
    }

    private void secure(Channel channel) {
        if (!request.tls()) {
            speak(channel, probe.spec().protocol() == HttpProtocol.HTTP_2);
            return;
        }
        String serverName = request.sameHost() ? probe.spec().tls().serverName().orElse(request.host()) : request.host();
        SslHandler ssl = probe.tls().newHandler(channel.alloc(), serverName, request.port());
        // The run's own deadline bounds the handshake; Netty's 10 s default would only mask it.
        ssl.setHandshakeTimeoutMillis(0);
        run.handshaking();
        // Added now, after the connect (and the proxy's tunnel), so the handshake starts at once and its time is its own.
        channel.pipeline().addBefore(WATCHER, "tls", ssl);
        ssl.handshakeFuture().addListener(handshake -> {
            if (ignored()) {
                return;
            }
            if (!handshake.isSuccess()) {
                run.fail(handshake.cause());
                return;
            }
            run.handshaken();
            overTls = true;
            List<X509Certificate> chain = TlsSessionFacts.record(run, ssl.engine().getSession());
            run.evidence().chain(chain);
            owner.handshaken(this, chain);
            speak(channel, ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol()));
        });
    }

    private void speak(Channel channel, boolean useHttp2) {
        http2 = useHttp2;
        ChannelPipeline pipeline = channel.pipeline();
        if (!useHttp2) {
            pipeline.addBefore(WATCHER, "first-byte", new FirstByteMarker());
            pipeline.addBefore(WATCHER, "http", new HttpClientCodec(new HttpDecoderConfig()
                    .setMaxInitialLineLength(MAX_STATUS_LINE_BYTES)
                    .setMaxHeaderSize(MAX_HEADER_BYTES), false, false));
            pipeline.addBefore(WATCHER, "head-copy", new HeadCopier());
            pipeline.addBefore(WATCHER, "inflate", new HttpContentDecompressor(0));
            pipeline.addBefore(WATCHER, "response", new ResponseReader());
            send(channel);
            return;
        }
        pipeline.addBefore(WATCHER, "h2", Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(MAX_HEADER_BYTES))
                .build());
        pipeline.addBefore(WATCHER, "h2-streams", new Http2MultiplexHandler(RefusePushedStreams.INSTANCE));
        new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new FirstByteMarker(), new Http2StreamFrameToHttpObjectCodec(false),
                        new HeadCopier(), new HttpContentDecompressor(0), new ResponseReader());
            }
        }).open().addListener((Future<Http2StreamChannel> opened) -> {
            if (ignored()) {
                return;
            }
            if (!opened.isSuccess()) {
                run.fail(opened.cause());
                return;
            }
            send(opened.getNow());
        });
    }

    private void send(Channel channel) {
        FullHttpRequest message = probe.requests().build(request, http2);
        run.exchanging();
        readyAt = System.nanoTime();
        channel.writeAndFlush(message).addListener(written -> {
            if (ignored()) {
                return;
            }
            if (written.isSuccess()) {
                run.requestSent();
            } else {
                run.fail(written.cause());
            }
        });
    }

    private void peerClosed(String what) {
        if (ignored()) {
            return;
        }
        run.finish(Outcome.CONNECTION_RESET, what + " to " + run.target() + " closed by the peer "
                + (head == null ? "before a response" : "after " + (body == null ? 0 : body.bytes()) + " body bytes"));
    }

    /** Notes when the first (decrypted) response byte arrives; sits in front of the HTTP codec. */
    private final class FirstByteMarker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!ignored() && firstByteAt == UNSET && readyAt != UNSET) {
                firstByteAt = System.nanoTime();
                run.firstByte();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Copies the headers of each response head before the decompressor after it rewrites them. */
    private final class HeadCopier extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response && !ignored()) {
                wireHeaders = response.headers().copy();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Reads the response: skips interim (1xx) responses, hands the head to the run, counts (and
     * keeps what is needed of) the body, and reports its end. Sits on the connection for HTTP/1.1 and
     * on the request's stream for HTTP/2.
     */
    private final class ResponseReader extends ChannelInboundHandlerAdapter {
        private boolean interim;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!ignored() && msg instanceof HttpObject object) {
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
                interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                        && response.status().code() != 101;
                if (!interim) {
                    head = response;
                    run.status(response.status().code());
                    run.evidence().response(response, wireHeaders(), http2);
                    body = owner.head(HttpExchange.this, response).orElse(null);
                }
            }
            if (object instanceof HttpContent content && !ignored()) {
                if (interim) {
                    interim = !(content instanceof LastHttpContent);
                    return;
                }
                if (body == null) {
                    // A run held by a failed head reads on only for its evidence, and ends when it has enough.
                    if (run.held() && (run.evidence().bodyChunk(content.content())
                            || content instanceof LastHttpContent)) {
                        run.endHeld();
                    }
                    return;
                }
                if (!body.add(content.content())) {
                    owner.tooLarge(HttpExchange.this);
                    return;
                }
                if (content instanceof LastHttpContent) {
                    endAt = System.nanoTime();
                    owner.complete(HttpExchange.this);
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof Http2ResetFrame reset && !ignored()) {
                run.finish(Outcome.CONNECTION_RESET, "HTTP/2 stream to " + run.target() + " reset by the peer (error "
                        + reset.errorCode() + ") " + (head == null ? "before a response" : "during the body"));
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (http2) {
                peerClosed("HTTP/2 stream");
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ignored()) {
                run.fail(cause);
            }
        }
    }

    /** The end of the connection's pipeline: failures, the peer closing, and bytes no handler took. */
    private final class ConnectionWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peerClosed("connection");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ignored()) {
                run.fail(cause);
            }
        }
    }

    /** Closes streams the server opens: the probe asked for no pushes and wants none. */
    @ChannelHandler.Sharable
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        static final RefusePushedStreams INSTANCE = new RefusePushedStreams();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
