package dev.vigil.testsupport.dns;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/** A UDP port of 127.0.0.1 that was bound and then closed: a datagram sent there draws an ICMP port unreachable. */
public final class ClosedUdpPort {
    private ClosedUdpPort() {
    }

    /** Binds an ephemeral UDP port, closes it and returns its number. */
    public static int find() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }
}
