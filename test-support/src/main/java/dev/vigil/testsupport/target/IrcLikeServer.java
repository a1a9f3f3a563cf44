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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An IRC-like server on 127.0.0.1: once a client has sent {@code NICK} and {@code USER}, it sends
 * {@code PING :<token>}; a {@code PONG <token>} is welcomed with {@code 001}, anything else gets
 * {@code ERROR} and the connection closed. The token is new for every server, so only a client that
 * echoes what it was sent gets in. Records the lines it receives.
 */
public final class IrcLikeServer implements AutoCloseable {
    private final String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    private IrcLikeServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new LineBasedFrameDecoder(8192), new StringDecoder(StandardCharsets.UTF_8),
                        new Session());
            }
        });
    }

    /** Starts a server on an ephemeral port. */
    public static IrcLikeServer start() {
        return new IrcLikeServer();
    }

    /** The token this server's {@code PING} carries. */
    public String token() {
        return token;
    }

    /** Every line received so far, without line breaks, in arrival order. */
    public List<String> received() {
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

    /** One client's registration. */
    private final class Session extends SimpleChannelInboundHandler<String> {
        private String nick;
        private boolean user;
        private boolean pinged;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            received.add(line);
            if (line.startsWith("NICK ")) {
                nick = line.substring(5).trim();
            } else if (line.startsWith("USER ")) {
                user = true;
            } else if (pinged && line.startsWith("PONG ")) {
                String answer = line.substring(5).trim();
                if (answer.equals(token) || answer.equals(":" + token)) {
                    send(ctx, ":irc.test 001 " + nick + " :Welcome to the test network");
                } else {
                    send(ctx, "ERROR :Closing link: PONG " + answer + " does not answer the PING")
                            .addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            if (nick != null && user && !pinged) {
                pinged = true;
                send(ctx, "PING :" + token);
            }
        }

        private ChannelFuture send(ChannelHandlerContext ctx, String line) {
            return ctx.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
