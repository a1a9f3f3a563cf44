package dev.vigil.testsupport.target;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicInteger;

/** A server on 127.0.0.1 that accepts connections, reads what it is sent and never answers. */
public final class StallingServer implements AutoCloseable {
    private final AtomicInteger connections = new AtomicInteger();
    private final LoopbackServer server;

    private StallingServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                connections.incrementAndGet();
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                });
            }
        });
    }

    /** Starts a stalling server on an ephemeral port. */
    public static StallingServer start() {
        return new StallingServer();
    }

    /** How many connections were accepted. */
    public int connections() {
        return connections.get();
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
