package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 server on 127.0.0.1 that redirects, with one chosen status (301, 302, 303, 307, 308),
 * along these paths, and records every request:
 * <ul>
 *   <li>{@code /chain/N}: to {@code /chain/N-1}; {@code /chain/0} answers 200 {@code arrived by METHOD}</li>
 *   <li>{@code /relative/N}: to the relative reference {@code N-1}; {@code /relative/0} answers 200</li>
 *   <li>{@code /loop/a} and {@code /loop/b}: to each other, for ever</li>
 *   <li>{@code /away?to=URL}: to {@code URL}, another server</li>
 *   <li>{@code /no-location}: the redirect status without a {@code Location}</li>
 * </ul>
 * Every response closes the connection, so each hop needs a new one.
 */
public final class RedirectingHttpServer implements AutoCloseable {
    private static final Pattern NUMBERED = Pattern.compile("/(chain|relative)/(\\d+)");

    private final HttpResponseStatus status;
    private final List<RecordedHttpRequest> requests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    private RedirectingHttpServer(int status) {
        this.status = HttpResponseStatus.valueOf(status);
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Redirector());
            }
        });
    }

    /** Starts a server redirecting with {@code status}. */
    public static RedirectingHttpServer start(int status) {
        return new RedirectingHttpServer(status);
    }

    /** The URL of {@code path} on this server at 127.0.0.1. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedHttpRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Redirector extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.add(RecordedHttpRequest.of(request));
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            String path = query.path();
            Matcher numbered = NUMBERED.matcher(path);
            FullHttpResponse response;
            if (numbered.matches()) {
                int n = Integer.parseInt(numbered.group(2));
                response = n == 0
                        ? text(HttpResponseStatus.OK, "arrived by " + request.method())
                        : redirect(numbered.group(1).equals("chain") ? "/chain/" + (n - 1) : String.valueOf(n - 1));
            } else if (path.equals("/loop/a") || path.equals("/loop/b")) {
                response = redirect(path.equals("/loop/a") ? "/loop/b" : "/loop/a");
            } else if (path.equals("/away") && query.parameters().containsKey("to")) {
                response = redirect(query.parameters().get("to").get(0));
            } else if (path.equals("/no-location")) {
                response = text(status, "moved somewhere");
            } else {
                response = text(HttpResponseStatus.NOT_FOUND, "no route " + path);
            }
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        private FullHttpResponse redirect(String location) {
            FullHttpResponse response = text(status, "see " + location);
            response.headers().set(HttpHeaderNames.LOCATION, location);
            return response;
        }

        private FullHttpResponse text(HttpResponseStatus responseStatus, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, false);
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
