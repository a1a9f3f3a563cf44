package dev.vigil.testsupport.target;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
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
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on 127.0.0.1 that opens {@code CONNECT} tunnels and relays bytes both ways, the way
 * corporate egress proxies do; other methods get 405. It may demand {@code Proxy-Authorization:
 * Basic} credentials (407 without them) and answers 502 when it cannot reach the target. It records
 * each {@code CONNECT} target and the credentials sent.
 */
public final class ConnectProxyServer implements AutoCloseable {

    /**
     * One {@code CONNECT} request as received.
     *
     * @param target        the request target, {@code host:port}
     * @param authorization the {@code Proxy-Authorization} header, empty when none came
     */
    public record Tunnel(String target, Optional<String> authorization) {
    }

    private final Optional<String> expectedAuthorization;
    private final List<Tunnel> tunnels = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    private ConnectProxyServer(Optional<String> expectedAuthorization) {
        this.expectedAuthorization = expectedAuthorization;
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast("codec", new HttpServerCodec());
                channel.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 16));
                channel.pipeline().addLast("frontend", new Frontend());
            }
        });
    }

    /** A proxy open to anyone. */
    public static ConnectProxyServer open() {
        return new ConnectProxyServer(Optional.empty());
    }

    /** A proxy that demands {@code username} and {@code password} by Basic authentication. */
    public static ConnectProxyServer requiring(String username, String password) {
        String pair = username + ":" + password;
        return new ConnectProxyServer(Optional.of(
                "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }

    /** The proxy's URL, {@code http://127.0.0.1:PORT}, with {@code userInfo} ({@code user:password}) if not empty. */
    public URI url(String userInfo) {
        return URI.create("http://" + (userInfo.isEmpty() ? "" : userInfo + "@") + "127.0.0.1:" + server.port());
    }

    /** Every {@code CONNECT} received so far, in arrival order. */
    public List<Tunnel> tunnels() {
        return List.copyOf(tunnels);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Reads the CONNECT request, checks credentials, opens the tunnel or says why not. */
    private final class Frontend extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Optional<String> authorization = Optional.ofNullable(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
            if (!request.method().equals(HttpMethod.CONNECT)) {
                reply(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED);
                return;
            }
            tunnels.add(new Tunnel(request.uri(), authorization));
            if (expectedAuthorization.isPresent() && !expectedAuthorization.equals(authorization)) {
                FullHttpResponse response = response(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
                response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"vigil-test\"");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            URI target = URI.create("tcp://" + request.uri());
            Channel inbound = ctx.channel();
            inbound.config().setAutoRead(false);
            ChannelFuture outbound = new Bootstrap()
                    .group(inbound.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                    .handler(new Relay(inbound))
                    .connect(target.getHost(), target.getPort());
            outbound.addListener((ChannelFutureListener) connected -> {
                if (!connected.isSuccess()) {
                    inbound.config().setAutoRead(true);
                    reply(ctx, HttpResponseStatus.BAD_GATEWAY);
                    return;
                }
                FullHttpResponse established = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        new HttpResponseStatus(200, "Connection established"));
                ctx.writeAndFlush(established).addListener((ChannelFutureListener) written -> {
                    ctx.pipeline().remove("aggregator");
                    ctx.pipeline().remove("codec");
                    ctx.pipeline().replace("frontend", "relay", new Relay(connected.channel()));
                    inbound.config().setAutoRead(true);
                });
            });
        }

        private void reply(ChannelHandlerContext ctx, HttpResponseStatus status) {
            ctx.writeAndFlush(response(status)).addListener(ChannelFutureListener.CLOSE);
        }

        private FullHttpResponse response(HttpResponseStatus status) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            HttpUtil.setContentLength(response, 0);
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Copies what one side of the tunnel reads to the other; closing one side closes both. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Relay(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (other.isActive()) {
                other.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
