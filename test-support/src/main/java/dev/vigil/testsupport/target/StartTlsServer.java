package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP-like server on 127.0.0.1 that offers STARTTLS: it greets with {@code 220}, answers
 * {@code EHLO} with a multi-line {@code 250} (listing {@code STARTTLS} until TLS is on),
 * {@code STARTTLS} with {@code 220} and a TLS handshake, {@code QUIT} with {@code 221} and a close.
 * It records each line it receives and whether it came over TLS.
 *
 * <p>{@link #injecting} makes it a man in the middle's server: in the same plain-text write as its
 * {@code 220} to STARTTLS it adds one more line, which a client must not read as if it came over TLS.
 */
public final class StartTlsServer implements AutoCloseable {

    /**
     * One line as received.
     *
     * @param line    the line, without its line break
     * @param overTls whether it arrived over TLS
     */
    public record ReceivedLine(String line, boolean overTls) {
    }

    private final List<ReceivedLine> received = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    private StartTlsServer(SslContext tls, String injected) {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new LineBasedFrameDecoder(8192), new StringDecoder(StandardCharsets.UTF_8),
                        new Session(tls, injected));
            }
        });
    }

    /** Starts a server that upgrades with {@code tls} (see {@link TestCertificateAuthority}). */
    public static StartTlsServer start(SslContext tls) {
        return new StartTlsServer(tls, null);
    }

    /** Starts a server that sends {@code injected} in plain text right after its {@code 220} to STARTTLS. */
    public static StartTlsServer injecting(SslContext tls, String injected) {
        return new StartTlsServer(tls, injected);
    }

    /** Every line received so far, in arrival order. */
    public List<ReceivedLine> received() {
        return List.copyOf(received);
    }

    /** The port this server listens on. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /** One client's session. */
    private final class Session extends SimpleChannelInboundHandler<String> {
        private final SslContext tls;
        private final String injected;
        private boolean overTls;

        Session(SslContext tls, String injected) {
            this.tls = tls;
            this.injected = injected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx, "220 mail.test ESMTP ready");
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            received.add(new ReceivedLine(line, overTls));
            String command = line.trim().toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO ")) {
                send(ctx, overTls ? "250-mail.test\r\n250 SIZE 1000000" : "250-mail.test\r\n250-STARTTLS\r\n250 SIZE 1000000");
            } else if (command.equals("STARTTLS") && !overTls) {
                overTls = true;
                // startTls: the 220 that follows still goes out in plain text, everything after it over TLS.
                ctx.pipeline().addFirst(new SslHandler(tls.newEngine(ctx.alloc()), true));
                send(ctx, injected == null ? "220 2.0.0 Ready to start TLS" : "220 2.0.0 Ready to start TLS\r\n" + injected);
            } else if (command.equals("QUIT")) {
                send(ctx, "221 2.0.0 Bye").addListener(ChannelFutureListener.CLOSE);
            } else {
                send(ctx, "502 5.5.2 Error: command not recognized");
            }
        }

        private ChannelFuture send(ChannelHandlerContext ctx, String lines) {
            return ctx.writeAndFlush(Unpooled.copiedBuffer(lines + "\r\n", StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
