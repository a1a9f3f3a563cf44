package dev.vigil.testsupport.target;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP server on 127.0.0.1 that starts a 200 response promising 1,000 bytes of body, sends 10
 * and closes the connection: a response cut off mid-way.
 */
public final class TruncatingHttpServer implements AutoCloseable {
    private static final byte[] PARTIAL_RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 1000\r\n"
            + "\r\n"
            + "0123456789").getBytes(StandardCharsets.US_ASCII);

    private final LoopbackServer server;

    private TruncatingHttpServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new OneReplyHandler(PARTIAL_RESPONSE, true));
            }
        });
    }

    /** Starts a truncating server on an ephemeral port. */
    public static TruncatingHttpServer start() {
        return new TruncatingHttpServer();
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
