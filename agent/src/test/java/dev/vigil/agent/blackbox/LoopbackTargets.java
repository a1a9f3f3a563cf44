package dev.vigil.agent.blackbox;

import dev.vigil.testsupport.dns.ScriptedDnsServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.LoopbackServer;
import dev.vigil.testsupport.target.StatusHttpServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The loopback targets both exporters probe in the comparison tests: HTTP servers answering 200,
 * 404 and a redirect to the 200 one, a closed port, line-protocol servers that greet like SSH and
 * like SMTP, and a DNS server that knows one name.
 */
final class LoopbackTargets implements AutoCloseable {
    /** The name the DNS server answers, and its address. */
    static final String KNOWN_NAME = "known.vigil.test";
    static final String KNOWN_ADDRESS = "192.0.2.7";

    final StatusHttpServer ok = StatusHttpServer.healthy();
    final StatusHttpServer notFound = StatusHttpServer.answering(404);
    final LoopbackServer redirect = redirectTo("http://127.0.0.1:" + ok.port() + "/");
    final int closedPort = ClosedPort.find();
    final LoopbackServer ssh = greeting("SSH-2.0-OpenSSH_9.2p1 Debian-2");
    final LoopbackServer smtp = greeting("220 mail.vigil.test ESMTP");
    final ScriptedDnsServer dns = ScriptedDnsServer.start().answer(KNOWN_NAME, KNOWN_ADDRESS);

    /** A server that sends {@code line} on connect and then reads and drops whatever comes. */
    private static LoopbackServer greeting(String line) {
        return LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
            }
        });
    }

    /** An HTTP server that answers every request with 302 to {@code location}. */
    private static LoopbackServer redirectTo(String location) {
        return LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.FOUND, Unpooled.EMPTY_BUFFER);
                                response.headers().set(HttpHeaderNames.LOCATION, location)
                                        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                            }
                        });
            }
        });
    }

    /** {@code 127.0.0.1:port}. */
    static String local(int port) {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ok.close();
        notFound.close();
        redirect.close();
        ssh.close();
        smtp.close();
        dns.close();
    }
}
