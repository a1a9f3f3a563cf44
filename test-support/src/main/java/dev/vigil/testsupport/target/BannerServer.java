package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * A server on 127.0.0.1 that greets every connection with fixed lines, each ended by CRLF (an SSH
 * banner, an SMTP greeting), then reads and ignores what it is sent and keeps the connection open.
 * Greeting with the wrong lines makes it a server that never sends the line a check waits for.
 */
public final class BannerServer implements AutoCloseable {
    private final LoopbackServer server;

    private BannerServer(String banner) {
        byte[] bytes = banner.getBytes(StandardCharsets.UTF_8);
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
                        ctx.fireChannelActive();
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

    /** Starts a server greeting with {@code lines} on an ephemeral port. */
    public static BannerServer start(String... lines) {
        return new BannerServer(String.join("\r\n", lines) + "\r\n");
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
