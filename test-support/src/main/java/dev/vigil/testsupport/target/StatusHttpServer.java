package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers every request with one chosen status and a body of a
 * chosen size, and records the requests it got. {@link #healthy()} is the well-behaved target.
 */
public final class StatusHttpServer implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param method  the HTTP method
     * @param uri     the request target, e.g. {@code /health?x=1}
     * @param headers header names lower-cased, first value of each
     */
    public record ReceivedRequest(String method, String uri, Map<String, String> headers) {
    }

    private static final byte[] OK = {'o', 'k'};

    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;
    private final String scheme;

    private StatusHttpServer(int status, byte[] body, SslContext tls) {
        this.scheme = tls == null ? "http" : "https";
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (tls != null) {
                    channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                }
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new Responder(HttpResponseStatus.valueOf(status), body));
            }
        });
    }

    /** A server answering 200 with the body {@code ok}. */
    public static StatusHttpServer healthy() {
        return new StatusHttpServer(200, OK, null);
    }

    /** A server answering {@code status} (200..599) with a short text body. */
    public static StatusHttpServer answering(int status) {
        return new StatusHttpServer(status, ("status " + status).getBytes(StandardCharsets.US_ASCII), null);
    }

    /** A server answering {@code status} with a body of {@code bodyBytes} bytes of {@code x}. */
    public static StatusHttpServer answering(int status, int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        return new StatusHttpServer(status, body, null);
    }

    /** A server speaking TLS with {@code tls} (see {@link TestCertificateAuthority}) and answering 200. */
    public static StatusHttpServer healthyOverTls(SslContext tls) {
        return new StatusHttpServer(200, OK, tls);
    }

    /** Every request received so far, in arrival order. */
    public List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The port this server listens on. */
    public int port() {
        return server.port();
    }

    /** The URL of {@code path} on this server as {@code host} (e.g. {@code localhost} or {@code 127.0.0.1}) sees it. */
    public URI url(String host, String path) {
        return URI.create(scheme + "://" + host + ":" + port() + path);
    }

    /** The URL of {@code path} on this server at 127.0.0.1. */
    public URI url(String path) {
        return url("127.0.0.1", path);
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpResponseStatus status;
        private final byte[] body;

        Responder(HttpResponseStatus status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(header ->
                    headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
            requests.add(new ReceivedRequest(request.method().name(), request.uri(), headers));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
