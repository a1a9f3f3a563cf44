package dev.vigil.testsupport.target;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A server on 127.0.0.1 that answers any request with a line that is not HTTP (an SSH banner) and
 * keeps the connection open, as when a check points at the wrong port.
 */
public final class GarbageServer implements AutoCloseable {
    private static final byte[] BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final LoopbackServer server;

    private GarbageServer() {
        server = LoopbackServer.start(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new OneReplyHandler(BANNER, false));
            }
        });
    }

    /** Starts a garbage-answering server on an ephemeral port. */
    public static GarbageServer start() {
        return new GarbageServer();
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
