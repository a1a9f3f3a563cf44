package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;

/**
 * A TLS server on 127.0.0.1 presenting a certificate described by a
 * {@link TestCertificateAuthority.ServerTls}: it completes handshakes, optionally greets with one line
 * over TLS (as POP3S or an implicit-TLS SMTP server does), then reads and ignores what it is sent and
 * keeps the connection open. It counts the handshakes that completed and, of those, the full ones, so
 * a test can tell whether a client resumed a session.
 */
public final class TlsServer implements AutoCloseable {
    private final Set<SSLEngine> fullHandshakes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final LoopbackServer server;

    private TlsServer(TestCertificateAuthority.ServerTls tls, String greeting) {
        SslContext context = tls.build(fullHandshakes);
        byte[] hello = greeting == null ? null : (greeting + "\r\n").getBytes(StandardCharsets.UTF_8);
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(context.newHandler(channel.alloc()), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
                            handshakes.incrementAndGet();
                            if (hello != null) {
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
                            }
                        }
                        ctx.fireUserEventTriggered(event);
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

    /** Starts a server with {@code tls} on an ephemeral port. */
    public static TlsServer start(TestCertificateAuthority.ServerTls tls) {
        return new TlsServer(tls, null);
    }

    /** Starts a server with {@code tls} that sends {@code greeting} and CRLF after each handshake. */
    public static TlsServer greeting(TestCertificateAuthority.ServerTls tls, String greeting) {
        return new TlsServer(tls, greeting);
    }

    /** How many handshakes completed, full or resumed. */
    public int handshakes() {
        return handshakes.get();
    }

    /** How many handshakes presented the certificate: the full ones. */
    public int fullHandshakes() {
        return fullHandshakes.size();
    }

    /** The port this server listens on. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
