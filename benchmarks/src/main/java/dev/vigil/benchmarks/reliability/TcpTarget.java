package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The agent's probe target: a TCP listener on loopback that accepts every connection and closes it
 * at once, so each {@code tcp} check run is a cheap success and the sample rate is the number of
 * checks over their interval.
 */
final class TcpTarget implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private TcpTarget(ServerSocketChannel server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "reliability-tcp-target");
        acceptor.setDaemon(true);
    }

    /** Listens on 127.0.0.1 on a port the kernel picks. */
    static TcpTarget start() {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            // A deep backlog: a thousand checks connect within each second, some in the same millisecond.
            server.bind(new InetSocketAddress(InetAddress.getByName(Loopback.HOST), 0), 4096);
            TcpTarget target = new TcpTarget(server);
            target.acceptor.start();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + Loopback.HOST, e);
        }
    }

    /** {@code 127.0.0.1:<port>}, as a check's {@code target}. */
    String address() {
        try {
            return Loopback.HOST + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("the TCP target is closed", e);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel connection = server.accept()) {
                // Closed by try-with-resources: the probe only needs the handshake.
                connection.socket().setSoLinger(true, 0);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                // A connection reset before it was accepted: the probe sees it, the target goes on.
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the TCP target", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
