package dev.vigil.testsupport.target;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * A server on 127.0.0.1 that accepts a connection and, as soon as the client sends anything,
 * aborts it with a TCP RST (SO_LINGER 0), the way a crashing or overloaded proxy does.
 */
public final class ResettingServer implements AutoCloseable {
    private final LoopbackServer server;

    private ResettingServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        ctx.close();
                    }
                });
            }
        });
    }

    /** Starts a resetting server on an ephemeral port. */
    public static ResettingServer start() {
        return new ResettingServer();
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
