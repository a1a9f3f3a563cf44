package dev.vigil.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Plays the kernel's part behind {@link LibC} for tests: sockets that are permitted or refused,
 * packets that are recorded when sent, and frames (replies, ICMP errors, error-queue entries) that
 * a scripted responder hands back, built here byte by byte as the kernel would deliver them.
 */
public final class FakeKernel implements LibC {
    /** The identifier the fake kernel gives ping sockets, whatever the request carried. */
    public static final int PING_SOCKET_IDENTIFIER = 0x4242;
    private static final int ENETUNREACH = 101;
    private static final Map<Integer, String> ERRORS = Map.of(EPERM, "Operation not permitted", EACCES,
            "Permission denied", EAGAIN, "Resource temporarily unavailable", ENETUNREACH, "Network is unreachable",
            EMSGSIZE, "Message too long", EAFNOSUPPORT, "Address family not supported by protocol",
            EADDRNOTAVAIL, "Cannot assign requested address");

    private final Set<SocketMode> permitted;
    private final AtomicInteger nextFd = new AtomicInteger(100);
    private final Map<Integer, FakeSocket> sockets = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger sendIndex = new AtomicInteger();
    private volatile Function<Sent, List<Frame>> responder = packet -> List.of(packet.reply());

    private FakeKernel(Set<SocketMode> permitted) {
        this.permitted = permitted;
    }

    /** A kernel that lets this process open sockets of {@code modes} only. */
    public static FakeKernel permitting(SocketMode... modes) {
        return new FakeKernel(modes.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(modes)));
    }

    /** From now on each sent request gets what {@code script} returns (by default, its reply). */
    public FakeKernel respond(Function<Sent, List<Frame>> script) {
        this.responder = script;
        return this;
    }

    /** Every request sent so far, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The calls made so far, as {@code setsockopt(level,name,value)}, {@code bind(address)}, {@code close(fd)}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Hands {@code frame} to the socket that sent {@code request}, as if it arrived now. */
    public void deliver(Sent request, Frame frame) {
        request.socket.inbound.add(frame);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        SocketMode mode = (type & 0xf) == SOCK_RAW ? SocketMode.RAW : SocketMode.DATAGRAM;
        if (!permitted.contains(mode)) {
            throw new LastErrorException(mode == SocketMode.RAW ? EPERM : EACCES);
        }
        int fd = nextFd.getAndIncrement();
        sockets.put(fd, new FakeSocket(fd, domain == AF_INET6 ? IcmpFamily.V6 : IcmpFamily.V4, mode));
        calls.add("socket(" + (domain == AF_INET6 ? "v6" : "v4") + "," + mode + ")=" + fd);
        return fd;
    }

    @Override
    public int setsockopt(int fd, int level, int name, int[] value, int length) {
        FakeSocket socket = socket(fd);
        if ((level == IPPROTO_IP && name == IP_TTL) || (level == IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS)) {
            socket.ttl = value[0];
        }
        calls.add("setsockopt(" + level + "," + name + "," + value[0] + ")");
        return 0;
    }

    @Override
    public int bind(int fd, byte[] address, int length) {
        InetAddress local = address(address);
        if (local.getHostAddress().equals("192.0.2.99")) {
            throw new LastErrorException(EADDRNOTAVAIL);
        }
        socket(fd).source = local;
        calls.add("bind(" + local.getHostAddress() + ")");
        return 0;
    }

    @Override
    public NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength) {
        FakeSocket socket = socket(fd);
        byte[] packet = Arrays.copyOf(buffer, length.intValue());
        if (socket.mode == SocketMode.DATAGRAM) {
            packet[4] = (byte) (PING_SOCKET_IDENTIFIER >>> 8);
            packet[5] = (byte) PING_SOCKET_IDENTIFIER;
        }
        Sent request = new Sent(sendIndex.getAndIncrement(), socket, address(address), packet, socket.ttl);
        sent.add(request);
        socket.inbound.addAll(responder.apply(request));
        return length;
    }

    @Override
    public NativeLong recvmsg(int fd, Pointer message, int flags) {
        FakeSocket socket = socket(fd);
        Frame frame = socket.inbound.peekFirst();
        boolean wantErrors = (flags & MSG_ERRQUEUE) != 0;
        if (frame == null || frame.errorQueue != wantErrors || !socket.inbound.remove(frame)) {
            throw new LastErrorException(EAGAIN);
        }
        return new NativeLong(write(frame, message));
    }

    @Override
    public int poll(Pointer fds, NativeLong count, int timeoutMillis) {
        FakeSocket socket = socket(fds.getInt(0));
        Frame frame;
        try {
            frame = socket.inbound.pollFirst(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LastErrorException(EINTR);
        }
        if (frame == null) {
            return 0;
        }
        socket.inbound.addFirst(frame);
        fds.setShort(6, frame.errorQueue ? POLLERR : POLLIN);
        return 1;
    }

    @Override
    public int close(int fd) {
        sockets.remove(fd);
        calls.add("close(" + fd + ")");
        return 0;
    }

    @Override
    public String strerror(int errno) {
        return ERRORS.getOrDefault(errno, "errno " + errno);
    }

    private FakeSocket socket(int fd) {
        FakeSocket socket = sockets.get(fd);
        if (socket == null) {
            throw new LastErrorException(9);
        }
        return socket;
    }

    /** Writes {@code frame} into the {@code struct msghdr} at {@code message} as recvmsg would. */
    private static int write(Frame frame, Pointer message) {
        Pointer name = message.getPointer(MessageHeader.NAME);
        byte[] sockaddr = sockaddr(frame.from);
        name.write(0, sockaddr, 0, sockaddr.length);
        message.setInt(MessageHeader.NAME_LENGTH, sockaddr.length);
        Pointer iovec = message.getPointer(MessageHeader.IOV);
        Pointer data = iovec.getPointer(MessageHeader.IOVEC_BASE);
        int capacity = (int) MessageHeader.readSize(iovec, MessageHeader.IOVEC_LENGTH);
        int copied = Math.min(capacity, frame.data.length);
        data.write(0, frame.data, 0, copied);
        Pointer control = message.getPointer(MessageHeader.CONTROL);
        int used = 0;
        if (frame.hopLimit >= 0) {
            boolean v6 = frame.from instanceof Inet6Address;
            used += controlMessage(control, used, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_HOPLIMIT : IP_TTL,
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(frame.hopLimit).array());
        }
        if (frame.errorQueue) {
            boolean v6 = frame.originalDestination instanceof Inet6Address;
            byte[] offender = sockaddr(frame.from);
            ByteBuffer error = ByteBuffer.allocate(16 + offender.length).order(ByteOrder.nativeOrder());
            error.putInt(frame.errno).put((byte) frame.origin).put((byte) frame.type).put((byte) frame.code)
                    .put((byte) 0).putInt(frame.info).putInt(0).put(offender);
            used += controlMessage(control, used, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR,
                    error.array());
        }
        MessageHeader.writeSize(message, MessageHeader.CONTROL_LENGTH, used);
        message.setInt(MessageHeader.FLAGS, frame.data.length > capacity ? MSG_TRUNC : 0);
        return copied;
    }

    private static int controlMessage(Pointer control, int at, int level, int type, byte[] data) {
        int length = MessageHeader.CMSG_DATA + data.length;
        MessageHeader.writeSize(control, at, length);
        control.setInt(at + MessageHeader.CMSG_LEVEL, level);
        control.setInt(at + MessageHeader.CMSG_TYPE, type);
        control.write(at + MessageHeader.CMSG_DATA, data, 0, data.length);
        return MessageHeader.align(length, MessageHeader.SIZE_T);
    }

    private static byte[] sockaddr(InetAddress address) {
        boolean v6 = address instanceof Inet6Address;
        ByteBuffer buffer = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
        buffer.putShort((short) (v6 ? AF_INET6 : AF_INET)).putShort((short) 0);
        if (v6) {
            buffer.putInt(0);
        }
        buffer.put(address.getAddress());
        return buffer.array();
    }

    private static InetAddress address(byte[] sockaddr) {
        int family = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder()).getShort(0);
        try {
            return InetAddress.getByAddress(family == AF_INET6 ? Arrays.copyOfRange(sockaddr, 8, 24)
                    : Arrays.copyOfRange(sockaddr, 4, 8));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An RFC 1071 checksum, written here again so the fake does not trust the code under test. */
    private static int checksum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xff;
            int low = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static final class FakeSocket {
        final int fd;
        final IcmpFamily family;
        final SocketMode mode;
        final LinkedBlockingDeque<Frame> inbound = new LinkedBlockingDeque<>();
        volatile int ttl = -1;
        volatile InetAddress source;

        FakeSocket(int fd, IcmpFamily family, SocketMode mode) {
            this.fd = fd;
            this.family = family;
            this.mode = mode;
        }
    }

    /** What a socket hands to recvmsg: a datagram (or an error-queue entry) with its sender and control data. */
    public static final class Frame {
        final byte[] data;
        final InetAddress from;
        final int hopLimit;
        final boolean errorQueue;
        final int origin;
        final int type;
        final int code;
        final int info;
        final int errno;
        final InetAddress originalDestination;

        private Frame(byte[] data, InetAddress from, int hopLimit) {
            this(data, from, hopLimit, false, 0, 0, 0, 0, 0, null);
        }

        private Frame(byte[] data, InetAddress from, int hopLimit, boolean errorQueue, int origin, int type, int code,
                int info, int errno, InetAddress originalDestination) {
            this.data = data;
            this.from = from;
            this.hopLimit = hopLimit;
            this.errorQueue = errorQueue;
            this.origin = origin;
            this.type = type;
            this.code = code;
            this.info = info;
            this.errno = errno;
            this.originalDestination = originalDestination;
        }
    }

    /** One echo request as the fake kernel saw it leave. */
    public static final class Sent {
        /** Its place among every request this kernel was given, from 0. */
        public final int index;
        /** Where it went. */
        public final InetAddress destination;
        /** The TTL / hop limit the socket had when it was sent, -1 for the default. */
        public final int ttl;
        final FakeSocket socket;
        final byte[] packet;

        Sent(int index, FakeSocket socket, InetAddress destination, byte[] packet, int ttl) {
            this.index = index;
            this.socket = socket;
            this.destination = destination;
            this.packet = packet;
            this.ttl = ttl;
        }

        /** The request's echo identifier. */
        public int identifier() {
            return ((packet[4] & 0xff) << 8) | (packet[5] & 0xff);
        }

        /** The request's sequence number. */
        public int sequence() {
            return ((packet[6] & 0xff) << 8) | (packet[7] & 0xff);
        }

        /** How many bytes of echo data it carried. */
        public int payloadBytes() {
            return packet.length - 8;
        }

        /** Whether the request's checksum is right (IPv4; the kernel computes ICMPv6 ones). */
        public boolean checksumValid() {
            return socket.family == IcmpFamily.V6 || checksum(packet, 0, packet.length) == 0;
        }

        /** The destination's echo reply. */
        public Frame reply() {
            return replyWith(identifier(), Arrays.copyOfRange(packet, 8, packet.length));
        }

        /** An echo reply from the destination with this identifier and payload instead of the request's. */
        public Frame replyWith(int identifier, byte[] payload) {
            byte[] icmp = new byte[8 + payload.length];
            icmp[0] = (byte) socket.family.echoReply;
            icmp[4] = (byte) (identifier >>> 8);
            icmp[5] = (byte) identifier;
            icmp[6] = packet[6];
            icmp[7] = packet[7];
            System.arraycopy(payload, 0, icmp, 8, payload.length);
            return datagram(destination, 64, icmp);
        }

        /** An ICMP error of {@code type} and {@code code} from {@code router} quoting this request. */
        public Frame error(int type, int code, InetAddress router) {
            if (socket.mode == SocketMode.DATAGRAM) {
                return new Frame(packet.clone(), router, -1, true,
                        socket.family == IcmpFamily.V4 ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6, type, code, 0,
                        ENETUNREACH, destination);
            }
            byte[] quoted = socket.family == IcmpFamily.V4
                    ? concat(ipv4Header(localAddress(), destination, 1, 8 + packet.length), packet)
                    : concat(ipv6Header(localAddress(), destination, packet.length), packet);
            byte[] icmp = new byte[8 + quoted.length];
            icmp[0] = (byte) type;
            icmp[1] = (byte) code;
            System.arraycopy(quoted, 0, icmp, 8, quoted.length);
            return datagram(router, 250, icmp);
        }

        private Frame datagram(InetAddress from, int hopLimit, byte[] icmp) {
            if (socket.family == IcmpFamily.V4) {
                int sum = checksum(icmp, 0, icmp.length);
                icmp[2] = (byte) (sum >>> 8);
                icmp[3] = (byte) sum;
                if (socket.mode == SocketMode.RAW) {
                    return new Frame(concat(ipv4Header(from, localAddress(), hopLimit, 20 + icmp.length), icmp), from, -1);
                }
            }
            return new Frame(icmp, from, hopLimit);
        }

        private InetAddress localAddress() {
            return socket.source != null ? socket.source : loopback(socket.family);
        }

        private static InetAddress loopback(IcmpFamily family) {
            try {
                return InetAddress.getByName(family == IcmpFamily.V6 ? "::1" : "127.0.0.1");
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        private static byte[] ipv4Header(InetAddress from, InetAddress to, int ttl, int totalLength) {
            byte[] header = new byte[20];
            header[0] = 0x45;
            header[2] = (byte) (totalLength >>> 8);
            header[3] = (byte) totalLength;
            header[8] = (byte) ttl;
            header[9] = (byte) IPPROTO_ICMP;
            System.arraycopy(from.getAddress(), 0, header, 12, 4);
            System.arraycopy(to.getAddress(), 0, header, 16, 4);
            int sum = checksum(header, 0, 20);
            header[10] = (byte) (sum >>> 8);
            header[11] = (byte) sum;
            return header;
        }

        private static byte[] ipv6Header(InetAddress from, InetAddress to, int payloadLength) {
            byte[] header = new byte[40];
            header[0] = 0x60;
            header[4] = (byte) (payloadLength >>> 8);
            header[5] = (byte) payloadLength;
            header[6] = (byte) IPPROTO_ICMPV6;
            header[7] = 1;
            System.arraycopy(from.getAddress(), 0, header, 8, 16);
            System.arraycopy(to.getAddress(), 0, header, 24, 16);
            return header;
        }

        private static byte[] concat(byte[] first, byte[] second) {
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }

    /** Builds the list a responder returns. */
    public static List<Frame> frames(Frame... frames) {
        return new ArrayList<>(Arrays.asList(frames));
    }
}
