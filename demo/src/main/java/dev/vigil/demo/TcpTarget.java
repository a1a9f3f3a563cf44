package dev.vigil.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TCP service on 127.0.0.1 that greets each connection with a banner line and closes it. */
final class TcpTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTarget.class);

    private final ServerSocket server;
    private final Thread acceptor;

    private TcpTarget(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "demo-tcp");
        this.acceptor.setDaemon(true);
    }

    static TcpTarget start(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        TcpTarget target = new TcpTarget(server);
        target.acceptor.start();
        return target;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getOutputStream().write("220 vigil demo tcp service\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException e) {
                if (!server.isClosed()) {
                    LOG.debug("demo tcp connection failed: {}", e.toString());
                }
            } catch (IOException e) {
                LOG.debug("demo tcp connection failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        return "demo-tcp on " + server.getLocalSocketAddress();
    }
}
