package dev.vigil.agent.icmp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} as bytes. The family and the IPv6 scope are
 * in the machine's byte order, the port and the address in network order; the port is always 0.
 */
final class SocketAddresses {
    static final int IPV4_LENGTH = 16;
    static final int IPV6_LENGTH = 28;

    private SocketAddresses() {
    }

    static byte[] encode(InetAddress address) {
        boolean v6 = address instanceof Inet6Address;
        ByteBuffer buffer = ByteBuffer.allocate(v6 ? IPV6_LENGTH : IPV4_LENGTH).order(ByteOrder.nativeOrder());
        buffer.putShort((short) (v6 ? LibC.AF_INET6 : LibC.AF_INET));
        buffer.putShort((short) 0);
        if (v6) {
            buffer.putInt(0);
            buffer.put(address.getAddress());
            buffer.putInt(((Inet6Address) address).getScopeId());
        } else {
            buffer.put(address.getAddress());
        }
        return buffer.array();
    }

    /** The address in the first {@code length} bytes of {@code sockaddr}, when it holds an IPv4 or IPv6 one. */
    static Optional<InetAddress> decode(byte[] sockaddr, int length) {
        if (length < 2) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(sockaddr, 0, length).order(ByteOrder.nativeOrder());
        int family = buffer.getShort(0);
        try {
            if (family == LibC.AF_INET && length >= 8) {
                return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8)));
            }
            if (family == LibC.AF_INET6 && length >= 24) {
                return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 8, 24)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes was refused", e);
        }
        return Optional.empty();
    }
}
