package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that answers at once with a 200 head announcing a body, then sends
 * the body slowly: a chunk of bytes at a time, one every interval, until all are sent, then closes.
 * A slow download, whose transfer phase is long, or outlasts a check's timeout.
 */
public final class TricklingHttpServer implements AutoCloseable {
    private final LoopbackServer server;

    private TricklingHttpServer(int bodyBytes, int chunkBytes, Duration every) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bodyBytes
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[chunkBytes];
        Arrays.fill(chunk, (byte) 'x');
        this.server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    private boolean answered;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        if (answered) {
                            return;
                        }
                        answered = true;
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(head));
                        trickle(ctx.channel(), bodyBytes);
                    }

                    private void trickle(Channel channel, int left) {
                        if (left == 0) {
                            channel.close();
                            return;
                        }
                        channel.eventLoop().schedule(() -> {
                            if (!channel.isActive()) {
                                return;
                            }
                            int length = Math.min(left, chunk.length);
                            channel.writeAndFlush(Unpooled.wrappedBuffer(chunk, 0, length))
                                    .addListener((ChannelFutureListener) written -> {
                                        if (written.isSuccess()) {
                                            trickle(channel, left - length);
                                        }
                                    });
                        }, every.toNanos(), TimeUnit.NANOSECONDS);
                    }
                });
            }
        });
    }

    /** Starts a server sending {@code bodyBytes} of body, {@code chunkBytes} every {@code every}. */
    public static TricklingHttpServer start(int bodyBytes, int chunkBytes, Duration every) {
        return new TricklingHttpServer(bodyBytes, chunkBytes, every);
    }

    /** The URL of {@code path} on this server at 127.0.0.1. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
    }
}
