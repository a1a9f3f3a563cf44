package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;

/**
 * An HTTP/2 server on 127.0.0.1 answering every request with 200 and the body {@code ok over
 * <protocol>}: over TLS it offers {@code h2} and {@code http/1.1} by ALPN and speaks what the client
 * picked; in clear text it speaks HTTP/2 only, by prior knowledge (h2c). It records the protocol of
 * every request and its {@code :authority} or {@code Host}.
 */
public final class Http2Server implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param protocol  {@code h2} or {@code http/1.1}
     * @param authority the {@code :authority} (HTTP/2) or {@code Host} (HTTP/1.1)
     * @param path      the path
     */
    public record Received(String protocol, String authority, String path) {
    }

    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;
    private final String scheme;

    private Http2Server(SslContext tls) {
        this.scheme = tls == null ? "http" : "https";
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (tls == null) {
                    http2(channel.pipeline());
                    return;
                }
                channel.pipeline().addLast(tls.newHandler(channel.alloc()),
                        new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    http2(ctx.pipeline());
                                } else {
                                    ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                            new Http1Responder());
                                }
                            }
                        });
            }
        });
    }

    /** A server over TLS presenting the certificate of {@code builder} (e.g. {@link TestCertificateAuthority#serverContextBuilder()}). */
    public static Http2Server overTls(SslContextBuilder builder) {
        try {
            return new Http2Server(builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)).build());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the HTTP/2 test server's TLS context", e);
        }
    }

    /** A clear-text server speaking HTTP/2 by prior knowledge. */
    public static Http2Server cleartext() {
        return new Http2Server(null);
    }

    /** The URL of {@code path} on this server as {@code host} sees it. */
    public URI url(String host, String path) {
        return URI.create(scheme + "://" + host + ":" + server.port() + path);
    }

    /** Every request received so far, in arrival order. */
    public List<Received> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.close();
    }

    private void http2(ChannelPipeline pipeline) {
        pipeline.addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new Http2Responder());
                    }
                }));
    }

    /** Answers one HTTP/2 stream once the request on it has ended. */
    private final class Http2Responder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    requests.add(new Received(ApplicationProtocolNames.HTTP_2,
                            String.valueOf(headers.headers().authority()), String.valueOf(headers.headers().path())));
                }
                if (msg instanceof Http2StreamFrame frame && isEndOfRequest(frame)) {
                    DefaultHttp2Headers headers = new DefaultHttp2Headers();
                    headers.status("200").set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                    ctx.write(new DefaultHttp2HeadersFrame(headers));
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(
                            Unpooled.copiedBuffer("ok over h2", StandardCharsets.US_ASCII), true));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private boolean isEndOfRequest(Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
                return headers.isEndStream();
            }
            return frame instanceof io.netty.handler.codec.http2.Http2DataFrame data && data.isEndStream();
        }
    }

    /** Answers an HTTP/1.1 request after ALPN picked http/1.1. */
    private final class Http1Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.add(new Received(ApplicationProtocolNames.HTTP_1_1, request.headers().get(HttpHeaderNames.HOST),
                    request.uri()));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok over http/1.1", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
