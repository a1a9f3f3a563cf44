package dev.vigil.agent.ship;

import dev.vigil.config.check.TlsSettings;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A Netty HTTP/1.1 client for one endpoint of the collector (ingest, assignments) that keeps one
 * connection alive between requests and has at most one request in flight. It authenticates as the
 * agent: the bearer token and, for an https collector, the TLS settings of {@code collector.tls}
 * (trust, server name, client certificate). Borrows an event loop group.
 */
public final class CollectorClient implements AutoCloseable {
    /** Bodies larger than this are sent gzip-compressed. */
    static final int COMPRESS_ABOVE_BYTES = 4096;
    private static final int MAX_REPLY_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final URI url;
    private final String authorization;
    private final Duration timeout;
    private final SslContext tls;
    private final TlsSettings tlsSettings;
    private final String hostHeader;
    private final String path;
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile boolean compress = true;

    CollectorClient(EventLoopGroup group, ShipperSettings settings) {
        this(group, settings.ingestUrl(), settings.token(), settings.tls(), settings.requestTimeout());
    }

    /**
     * A client for {@code url} presenting {@code token} (none when empty) and, for https, {@code tls};
     * a request fails when no answer comes within {@code timeout}, connect included.
     *
     * @throws IllegalStateException when a TLS file can no longer be used
     */
    public CollectorClient(EventLoopGroup group, URI url, String token, TlsSettings tls, Duration timeout) {
        this.group = group;
        this.url = url;
        this.authorization = token.isEmpty() ? null : "Bearer " + token;
        this.timeout = timeout;
        boolean secure = url.getScheme().equalsIgnoreCase("https");
        this.tls = secure ? CollectorTls.context(tls) : null;
        this.tlsSettings = tls;
        this.hostHeader = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
        this.path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    }

    /**
     * The body to send for {@code batch}, gzip-compressed when larger than
     * {@value #COMPRESS_ABOVE_BYTES} bytes (samples compress about threefold; small bodies are not worth
     * the CPU), and whether it was compressed.
     */
    Body body(byte[] batch) {
        if (!compresses(batch.length)) {
            return new Body(batch, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.length / 3 + 64);
        try (GZIPOutputStream gzip = new FastGzip(out)) {
            gzip.write(batch);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return new Body(out.toByteArray(), true);
    }

    /** Whether a batch of {@code length} bytes goes out compressed. */
    boolean compresses(int length) {
        return compress && length > COMPRESS_ABOVE_BYTES;
    }

    /** Sends every later body uncompressed: the collector does not read gzip. */
    void stopCompressing() {
        compress = false;
    }

    /** A request body; {@code gzip} when it is compressed. */
    record Body(byte[] bytes, boolean gzip) {
    }

    /** gzip at the fastest level: shipping a backlog is bound by the collector, not by the network. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /**
     * Posts {@code batch} (encoded by {@link BatchCodec}); the future completes with the reply, or
     * exceptionally when the connection fails or no reply comes within the request timeout. Called
     * from one thread, one request at a time; it may block briefly to resolve the collector's name.
     */
    CompletableFuture<CollectorReply> post(byte[] batch) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("client closed"));
        }
        // Compressed here, on the shipper's thread, not on the event loop.
        Body body = body(batch);
        return request(() -> post(body));
    }

    /**
     * Sends {@code GET} with {@code headers} added; the future completes with the reply, or exceptionally
     * when the connection fails or no reply comes within the request timeout. Called from one thread, one
     * request at a time, never from an event loop: it may block briefly to resolve the collector's name.
     */
    public CompletableFuture<CollectorReply> get(Map<String, String> headers) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("client closed"));
        }
        return request(() -> {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
            headers.forEach((name, value) -> request.headers().set(name, value));
            return request;
        });
    }

    private FullHttpRequest post(Body body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body.bytes()));
        request.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, BatchCodec.MEDIA_TYPE)
                .set(HttpHeaderNames.ACCEPT, AckCodec.MEDIA_TYPE)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.bytes().length);
        if (body.gzip()) {
            request.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        return request;
    }

    private CompletableFuture<CollectorReply> request(Supplier<FullHttpRequest> request) {
        CompletableFuture<CollectorReply> reply = new CompletableFuture<>();
        Channel current = channel;
        if (current != null && current.isActive()) {
            send(current, request, reply);
            return reply;
        }
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        int port = url.getPort() != -1 ? url.getPort() : tls != null ? 443 : 80;
        InetSocketAddress address;
        try {
            // Resolved here, on the caller's (shipper's) thread: Netty's default resolver would block an event loop.
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            reply.completeExceptionally(e);
            return reply;
        }
        ChannelFuture connecting = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), CollectorTls.peerHost(tlsSettings, host), port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_REPLY_BYTES),
                                new ReplyHandler());
                    }
                })
                .connect(address);
        channel = connecting.channel();
        connecting.addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
                send(connected.channel(), request, reply);
            } else {
                reply.completeExceptionally(connected.cause());
            }
        });
        return reply;
    }

    private void send(Channel target, Supplier<FullHttpRequest> requests, CompletableFuture<CollectorReply> reply) {
        target.eventLoop().execute(() -> {
            ReplyHandler handler = target.pipeline().get(ReplyHandler.class);
            if (handler == null || !target.isActive()) {
                reply.completeExceptionally(new IOException("connection to the collector closed before sending"));
                return;
            }
            handler.expect(reply, target.eventLoop().schedule(() -> {
                if (reply.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))) {
                    target.close();
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS));
            // Built here, on the loop, so a request abandoned before it is written holds no buffer.
            FullHttpRequest request = requests.get();
            request.headers().set(HttpHeaderNames.HOST, hostHeader);
            if (authorization != null) {
                request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            target.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    reply.completeExceptionally(written.cause());
                    target.close();
                }
            });
        });
    }

    /** Closes the connection; a request in flight fails. */
    @Override
    public void close() {
        closed = true;
        Channel current = channel;
        if (current != null) {
            current.close().syncUninterruptibly();
        }
    }

    /** Completes the pending request with the reply, or fails it when the connection breaks first. */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private CompletableFuture<CollectorReply> pending;
        private ScheduledFuture<?> timeoutTask;

        void expect(CompletableFuture<CollectorReply> reply, ScheduledFuture<?> timeout) {
            pending = reply;
            timeoutTask = timeout;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            boolean keepAlive = HttpUtil.isKeepAlive(response);
            CompletableFuture<CollectorReply> reply = take();
            if (reply != null) {
                if (response.decoderResult().isFailure()) {
                    reply.completeExceptionally(new IOException("malformed reply from the collector",
                            response.decoderResult().cause()));
                    keepAlive = false;
                } else {
                    reply.complete(new CollectorReply(response.status().code(),
                            response.headers().get(HttpHeaderNames.CONTENT_TYPE, ""),
                            ByteBufUtil.getBytes(response.content()),
                            CollectorReply.retryAfter(response.headers().get(HttpHeaderNames.RETRY_AFTER)),
                            Optional.ofNullable(response.headers().get(HttpHeaderNames.ETAG))));
                }
            }
            if (!keepAlive) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<CollectorReply> reply = take();
            if (reply != null) {
                reply.completeExceptionally(new IOException("the collector closed the connection without answering"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<CollectorReply> reply = take();
            if (reply != null) {
                reply.completeExceptionally(cause);
            }
            ctx.close();
        }

        private CompletableFuture<CollectorReply> take() {
            CompletableFuture<CollectorReply> reply = pending;
            pending = null;
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
                timeoutTask = null;
            }
            return reply;
        }
    }
}
