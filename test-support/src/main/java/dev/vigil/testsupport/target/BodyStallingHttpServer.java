package dev.vigil.testsupport.target;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP server on 127.0.0.1 that answers with a 200 head promising 1,000 bytes of body, sends 10
 * of them and then nothing more, keeping the connection open: a download that hangs mid-way.
 */
public final class BodyStallingHttpServer implements AutoCloseable {
    private static final byte[] PARTIAL_RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 1000\r\n"
            + "\r\n"
            + "0123456789").getBytes(StandardCharsets.US_ASCII);

    private final LoopbackServer server;

    private BodyStallingHttpServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new OneReplyHandler(PARTIAL_RESPONSE, false));
            }
        });
    }

    /** Starts a body-stalling server on an ephemeral port. */
    public static BodyStallingHttpServer start() {
        return new BodyStallingHttpServer();
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
