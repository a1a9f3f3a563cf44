package dev.vigil.agent.icmp;

/**
 * ICMP and ICMPv6 echo messages as bytes: building requests, and reading what comes back (an echo
 * reply, or an error quoting one of our requests). Multi-byte fields are in network order.
 */
final class IcmpPackets {
    static final int HEADER_LENGTH = 8;
    static final int IPV6_HEADER_LENGTH = 40;

    private static final int V4_UNREACHABLE = 3;
    private static final int V4_TIME_EXCEEDED = 11;
    private static final int V6_UNREACHABLE = 1;
    private static final int V6_PACKET_TOO_BIG = 2;
    private static final int V6_TIME_EXCEEDED = 3;

    /** What a received message says about one of our echo requests. */
    sealed interface Message permits Reply, Error {
    }

    /**
     * An echo reply.
     *
     * @param hopLimit the TTL of the IPv4 header it came in, or -1 when no header was read
     */
    record Reply(int identifier, int sequence, int payloadOffset, int payloadLength, int hopLimit) implements Message {
    }

    /**
     * An ICMP error quoting an echo request: its type and code, and the MTU for "too big" errors.
     */
    record Error(int type, int code, int mtu, int identifier, int sequence) implements Message {
    }

    private IcmpPackets() {
    }

    /**
     * An echo request. The IPv4 checksum is computed here; the kernel computes the ICMPv6 one (it
     * needs the IPv6 pseudo-header) and overwrites the IPv4 one on ping sockets.
     */
    static byte[] echoRequest(IcmpFamily family, int identifier, int sequence, byte[] payload) {
        byte[] packet = new byte[HEADER_LENGTH + payload.length];
        packet[0] = (byte) family.echoRequest;
        putShort(packet, 4, identifier);
        putShort(packet, 6, sequence);
        System.arraycopy(payload, 0, packet, HEADER_LENGTH, payload.length);
        if (family == IcmpFamily.V4) {
            putShort(packet, 2, checksum(packet, 0, packet.length));
        }
        return packet;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}. */
    static int checksum(byte[] data, int offset, int length) {
        long sum = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * Reads a received datagram: {@code withIpHeader} when it starts with its IPv4 header (raw IPv4
     * sockets). Returns null for anything that is neither an echo reply nor an error quoting an echo
     * request (other ICMP traffic a raw socket sees, truncated or corrupt packets).
     */
    static Message parse(IcmpFamily family, boolean withIpHeader, byte[] packet, int length) {
        int start = 0;
        int end = length;
        int hopLimit = -1;
        if (withIpHeader) {
            if (length < 20 || (packet[0] & 0xf0) != 0x40) {
                return null;
            }
            start = (packet[0] & 0x0f) * 4;
            // Trust the header's total length only when it is plausible: it bounds the checksum.
            int total = getShort(packet, 2);
            end = total >= start && total <= length ? total : length;
            hopLimit = packet[8] & 0xff;
            if (start < 20 || end - start < HEADER_LENGTH || (packet[9] & 0xff) != LibC.IPPROTO_ICMP
                    || checksum(packet, start, end - start) != 0) {
                return null;
            }
        }
        if (end - start < HEADER_LENGTH) {
            return null;
        }
        int type = packet[start] & 0xff;
        int code = packet[start + 1] & 0xff;
        if (type == family.echoReply && code == 0) {
            return new Reply(getShort(packet, start + 4), getShort(packet, start + 6), start + HEADER_LENGTH,
                    end - start - HEADER_LENGTH, hopLimit);
        }
        if (family == IcmpFamily.V4 && (type == V4_UNREACHABLE || type == V4_TIME_EXCEEDED)) {
            int mtu = type == V4_UNREACHABLE && code == 4 ? getShort(packet, start + 6) : 0;
            return quotedV4(type, code, mtu, packet, start + HEADER_LENGTH, end);
        }
        if (family == IcmpFamily.V6 && (type == V6_UNREACHABLE || type == V6_PACKET_TOO_BIG || type == V6_TIME_EXCEEDED)) {
            int mtu = type == V6_PACKET_TOO_BIG ? getInt(packet, start + 4) : 0;
            return quotedV6(type, code, mtu, packet, start + HEADER_LENGTH, end);
        }
        return null;
    }

    /**
     * The sequence of the echo request at the start of {@code packet}, as the kernel hands back a
     * request that met an error on a ping socket's error queue; -1 when it is not one.
     */
    static int requestSequence(IcmpFamily family, byte[] packet, int length) {
        if (length < HEADER_LENGTH || (packet[0] & 0xff) != family.echoRequest) {
            return -1;
        }
        return getShort(packet, 6);
    }

    /** A few words for an ICMP error ({@code type}, {@code code}) of {@code family}. */
    static String describeError(IcmpFamily family, int type, int code, int mtu) {
        if (family == IcmpFamily.V4) {
            return switch (type) {
                case V4_UNREACHABLE -> switch (code) {
                    case 0, 6 -> "network unreachable";
                    case 1, 7 -> "host unreachable";
                    case 2 -> "protocol unreachable";
                    case 3 -> "port unreachable";
                    case 4 -> "fragmentation needed but dont_fragment set (next-hop MTU " + mtu + ")";
                    case 5 -> "source route failed";
                    case 9, 10, 13 -> "communication administratively prohibited";
                    default -> "destination unreachable (code " + code + ")";
                };
                case V4_TIME_EXCEEDED -> code == 0 ? "TTL exceeded in transit" : "fragment reassembly time exceeded";
                default -> "ICMP type " + type + " code " + code;
            };
        }
        return switch (type) {
            case V6_UNREACHABLE -> switch (code) {
                case 0 -> "no route to destination";
                case 1 -> "communication administratively prohibited";
                case 2 -> "beyond scope of source address";
                case 3 -> "address unreachable";
                case 4 -> "port unreachable";
                case 5 -> "source address failed ingress/egress policy";
                case 6 -> "reject route to destination";
                default -> "destination unreachable (code " + code + ")";
            };
            case V6_PACKET_TOO_BIG -> "packet too big (MTU " + mtu + ")";
            case V6_TIME_EXCEEDED -> code == 0 ? "hop limit exceeded in transit" : "fragment reassembly time exceeded";
            default -> "ICMPv6 type " + type + " code " + code;
        };
    }

    /** Whether {@code type} of {@code family} says the hop limit ran out on the way. */
    static boolean isTimeExceeded(IcmpFamily family, int type) {
        return type == (family == IcmpFamily.V4 ? V4_TIME_EXCEEDED : V6_TIME_EXCEEDED);
    }

    private static Message quotedV4(int type, int code, int mtu, byte[] packet, int quoted, int end) {
        if (end - quoted < 20 || (packet[quoted] & 0xf0) != 0x40 || (packet[quoted + 9] & 0xff) != LibC.IPPROTO_ICMP) {
            return null;
        }
        int request = quoted + (packet[quoted] & 0x0f) * 4;
        if (end - request < HEADER_LENGTH || (packet[request] & 0xff) != IcmpFamily.V4.echoRequest) {
            return null;
        }
        return new Error(type, code, mtu, getShort(packet, request + 4), getShort(packet, request + 6));
    }

    private static Message quotedV6(int type, int code, int mtu, byte[] packet, int quoted, int end) {
        // Echo requests carry no extension headers, so the quoted ICMPv6 header follows the fixed header.
        int request = quoted + IPV6_HEADER_LENGTH;
        if (end - request < HEADER_LENGTH || (packet[quoted + 6] & 0xff) != LibC.IPPROTO_ICMPV6
                || (packet[request] & 0xff) != IcmpFamily.V6.echoRequest) {
            return null;
        }
        return new Error(type, code, mtu, getShort(packet, request + 4), getShort(packet, request + 6));
    }

    static int getShort(byte[] data, int offset) {
        return ((data[offset] & 0xff) << 8) | (data[offset + 1] & 0xff);
    }

    private static int getInt(byte[] data, int offset) {
        return (getShort(data, offset) << 16) | getShort(data, offset + 2);
    }

    private static void putShort(byte[] data, int offset, int value) {
        data[offset] = (byte) (value >>> 8);
        data[offset + 1] = (byte) value;
    }
}
