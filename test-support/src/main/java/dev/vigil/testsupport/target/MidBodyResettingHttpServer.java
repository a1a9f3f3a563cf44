package dev.vigil.testsupport.target;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that answers with a 200 head promising 100,000 bytes of body, sends
 * 1,000 of them and, a moment later, aborts the connection with a TCP RST (SO_LINGER 0): a backend
 * that crashes mid-response. The pause lets the client read the head before the reset arrives.
 */
public final class MidBodyResettingHttpServer implements AutoCloseable {
    private static final long PAUSE_MILLIS = 200;
    private static final byte[] PARTIAL_RESPONSE = partialResponse();

    private final LoopbackServer server;

    private MidBodyResettingHttpServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    private boolean answered;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        if (answered) {
                            return;
                        }
                        answered = true;
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(PARTIAL_RESPONSE)).addListener(written ->
                                ctx.executor().schedule(() -> ctx.close(), PAUSE_MILLIS, TimeUnit.MILLISECONDS));
                    }
                });
            }
        });
    }

    /** Starts a mid-body resetting server on an ephemeral port. */
    public static MidBodyResettingHttpServer start() {
        return new MidBodyResettingHttpServer();
    }

    /** The URL of {@code path} on this server at 127.0.0.1. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
    }

    private static byte[] partialResponse() {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] response = Arrays.copyOf(head, head.length + 1000);
        Arrays.fill(response, head.length, response.length, (byte) 'x');
        return response;
    }
}
