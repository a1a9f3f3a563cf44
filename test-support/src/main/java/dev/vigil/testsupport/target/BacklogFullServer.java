package dev.vigil.testsupport.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening port on 127.0.0.1 that never accepts, with its accept queue filled: the kernel drops
 * further SYNs, so a new connection attempt hangs until the client's connect timeout.
 */
public final class BacklogFullServer implements AutoCloseable {
    private static final int MAX_FILLERS = 64;
    private static final int PROBE_TIMEOUT_MILLIS = 200;

    private final ServerSocket socket;
    private final List<Socket> fillers = new ArrayList<>();

    private BacklogFullServer() throws IOException {
        socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /** Binds a port with a backlog of 1 and connects to it until a connection attempt times out. */
    public static BacklogFullServer start() {
        try {
            BacklogFullServer server = new BacklogFullServer();
            server.fill();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fill() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
        while (fillers.size() < MAX_FILLERS) {
            Socket filler = new Socket();
            try {
                filler.connect(address, PROBE_TIMEOUT_MILLIS);
                fillers.add(filler);
            } catch (SocketTimeoutException e) {
                filler.close();
                return;
            }
        }
        close();
        throw new IOException("accept queue of port " + port() + " did not fill after " + MAX_FILLERS + " connections");
    }

    /** The port whose connection attempts time out. */
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        for (Socket filler : fillers) {
            try {
                filler.close();
            } catch (IOException e) {
                // A test socket that fails to close is released by the JVM at exit; nothing to do.
            }
        }
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
