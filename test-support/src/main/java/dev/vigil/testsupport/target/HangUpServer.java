package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A server on 127.0.0.1 that closes mid-dialogue: it greets with one line, answers whatever the
 * client sends first with a farewell, written exactly as given (with or without a line break), and
 * closes the connection, the way a mail server shutting down answers {@code 421}.
 */
public final class HangUpServer implements AutoCloseable {
    private final LoopbackServer server;

    private HangUpServer(String greeting, String farewell) {
        byte[] hello = (greeting + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] bye = farewell.getBytes(StandardCharsets.UTF_8);
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
                        ctx.fireChannelActive();
                    }
                });
                channel.pipeline().addLast(new OneReplyHandler(bye, true));
            }
        });
    }

    /** Starts a server greeting with {@code greeting} and hanging up with {@code farewell}. */
    public static HangUpServer start(String greeting, String farewell) {
        return new HangUpServer(greeting, farewell);
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
