package dev.vigil.agent.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint: {@code GET /metrics} in the Prometheus text format,
 * {@code GET /healthz} as JSON (503 when the agent is degraded) and, when a {@link ProbeEndpoint} is
 * given, {@code GET /probe} answered by it. Runs on the agent's event loop group (borrowed);
 * {@link #close()} closes only its listening channel.
 */
public final class AgentHttpServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 8192;

    private final Channel channel;

    private AgentHttpServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds {@code listen} (resolved here if unresolved; port 0 = ephemeral) on {@code group} and
     * serves {@code registry} and the {@code health} reports.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AgentHttpServer start(InetSocketAddress listen, EventLoopGroup group, PrometheusRegistry registry,
            Supplier<Health> health) {
        return start(listen, group, registry, health, ProbeEndpoint.NONE);
    }

    /**
     * As {@link #start(InetSocketAddress, EventLoopGroup, PrometheusRegistry, Supplier)}, and answers
     * {@code /probe} with {@code probes}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AgentHttpServer start(InetSocketAddress listen, EventLoopGroup group, PrometheusRegistry registry,
            Supplier<Health> health, ProbeEndpoint probes) {
        InetSocketAddress address = listen.isUnresolved()
                ? new InetSocketAddress(listen.getHostString(), listen.getPort()) : listen;
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Routes(registry, writer, health, probes));
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new UncheckedIOException(new IOException("cannot listen on " + address + ": " + cause.getMessage(), cause));
        }
        return new AgentHttpServer(bound.channel());
    }

    /** The bound address, with the real port when 0 was asked for. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Answers the routes; everything else is 404, other methods 405. */
    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final PrometheusRegistry registry;
        private final PrometheusTextFormatWriter writer;
        private final Supplier<Health> health;
        private final ProbeEndpoint probes;

        Routes(PrometheusRegistry registry, PrometheusTextFormatWriter writer, Supplier<Health> health,
                ProbeEndpoint probes) {
            this.registry = registry;
            this.writer = writer;
            this.health = health;
            this.probes = probes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            boolean readMethod = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
            if (path.equals("/probe") && readMethod) {
                CompletionStage<ProbeAnswer> answer = probes.probe(uri, request.headers(), ctx.channel().eventLoop());
                if (answer != null) {
                    boolean keepAlive = HttpUtil.isKeepAlive(request);
                    boolean head = request.method().equals(HttpMethod.HEAD);
                    answer.whenComplete((probed, failure) -> {
                        ProbeAnswer sent = failure == null ? probed
                                : ProbeAnswer.text(500, "probe failed unexpectedly: " + failure);
                        ctx.executor().execute(() -> send(ctx, response(HttpResponseStatus.valueOf(sent.status()),
                                sent.contentType(), sent.body()), keepAlive, head));
                    });
                    return;
                }
            }
            FullHttpResponse response;
            if (!path.equals("/metrics") && !path.equals("/healthz") && !(path.equals("/probe") && !readMethod)) {
                response = text(HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n");
            } else if (!readMethod) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (path.equals("/metrics")) {
                response = metrics(ctx);
            } else {
                Health report = health.get();
                // 503 so that load balancers and orchestrators that only look at the status notice it too.
                response = response(report.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "application/json", report.toJson());
            }
            send(ctx, response, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
        }

        private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive,
                boolean head) {
            HttpUtil.setKeepAlive(response, keepAlive);
            if (head) {
                int length = response.content().readableBytes();
                response.content().clear();
                HttpUtil.setContentLength(response, length);
            }
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse metrics(ChannelHandlerContext ctx) {
            ByteBuf body = ctx.alloc().buffer(16 * 1024);
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                writer.write(out, registry.scrape());
            } catch (IOException | RuntimeException e) {
                body.release();
                return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot render metrics: " + e.getMessage() + "\n");
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, writer.getContentType());
            HttpUtil.setContentLength(response, body.readableBytes());
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            return response(status, "text/plain; charset=utf-8", body);
        }

        private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            return response;
        }
    }
}
