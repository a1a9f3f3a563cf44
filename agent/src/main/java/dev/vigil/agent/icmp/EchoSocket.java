package dev.vigil.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICMP socket of one family (and source address) with its receiver thread.
 *
 * <p>Requests are sent by the owner's sender thread ({@link #send}); the receiver thread waits in
 * {@code poll(2)} with a short timeout (so it notices {@link #close()}), reads each datagram,
 * matches it to a pending request by identifier and sequence, and tells that request's listener.
 * The pending table is the only state the two threads share.
 */
final class EchoSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EchoSocket.class);
    private static final int POLL_MILLIS = 200;
    private static final int MAX_ERRORS_PER_WAKEUP = 64;
    private static final int UNSET = Integer.MIN_VALUE;
    private static final SecureRandom RANDOM = new SecureRandom();

    final IcmpFamily family;
    final SocketMode mode;
    private final LibC libc;
    private final int fd;
    private final Optional<InetAddress> source;
    /** Ours on raw sockets; on ping sockets the kernel replaces it with the socket's own. */
    private final int identifier;
    /** Fills every payload, so a reply that does not echo it back is not taken for ours. */
    private final byte[] token = new byte[8];
    private final ConcurrentMap<Integer, PendingEcho> pending = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean running = true;

    // Sender thread only.
    private int nextSequence;
    private int appliedTtl = UNSET;
    private int appliedMtuDiscovery = UNSET;

    /** Thrown when a socket cannot be opened: {@code binding} when the socket was made but bind failed. */
    static final class OpenFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;
        final boolean binding;

        OpenFailure(LastErrorException cause, boolean binding) {
            super(cause.getMessage(), cause);
            this.errno = cause.getErrorCode();
            this.binding = binding;
        }
    }

    private EchoSocket(LibC libc, IcmpFamily family, SocketMode mode, int fd, Optional<InetAddress> source) {
        this.libc = libc;
        this.family = family;
        this.mode = mode;
        this.fd = fd;
        this.source = source;
        this.identifier = 1 + RANDOM.nextInt(0xffff);
        this.nextSequence = RANDOM.nextInt(0x10000);
        RANDOM.nextBytes(token);
        String name = "vigil-icmp-" + family.name().toLowerCase(java.util.Locale.ROOT) + "-"
                + mode.name().toLowerCase(java.util.Locale.ROOT)
                + source.map(address -> "-from-" + NetUtil.toAddressString(address)).orElse("");
        this.receiver = new Thread(this::receive, name);
        receiver.setDaemon(true);
    }

    /** Opens a socket of {@code family} in {@code mode}, bound to {@code source} when given, and starts its receiver. */
    static EchoSocket open(LibC libc, IcmpFamily family, SocketMode mode, Optional<InetAddress> source)
            throws OpenFailure {
        int type = (mode == SocketMode.RAW ? LibC.SOCK_RAW : LibC.SOCK_DGRAM) | LibC.SOCK_CLOEXEC;
        int fd;
        try {
            fd = libc.socket(family.domain, type, family.protocol);
        } catch (LastErrorException e) {
            throw new OpenFailure(e, false);
        }
        boolean binding = false;
        try {
            configure(libc, fd, family, mode);
            if (source.isPresent()) {
                binding = true;
                byte[] address = SocketAddresses.encode(source.get());
                libc.bind(fd, address, address.length);
            }
        } catch (LastErrorException e) {
            closeQuietly(libc, fd);
            throw new OpenFailure(e, binding);
        }
        EchoSocket socket = new EchoSocket(libc, family, mode, fd, source);
        socket.receiver.start();
        return socket;
    }

    private static void configure(LibC libc, int fd, IcmpFamily family, SocketMode mode) {
        if (family == IcmpFamily.V4) {
            if (mode == SocketMode.DATAGRAM) {
                // A raw socket reads the TTL from the IPv4 header it receives; a ping socket gets no header.
                setInt(libc, fd, LibC.IPPROTO_IP, LibC.IP_RECVTTL, 1);
                setInt(libc, fd, LibC.IPPROTO_IP, LibC.IP_RECVERR, 1);
            } else {
                // Bits set are types not delivered: keep echo reply (0), unreachable (3), time exceeded (11).
                int mask = ~((1 << 0) | (1 << 3) | (1 << 11));
                bestEffort(libc, fd, LibC.SOL_RAW, LibC.ICMP_FILTER, new int[] {mask}, "ICMP_FILTER");
            }
        } else {
            setInt(libc, fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVHOPLIMIT, 1);
            if (mode == SocketMode.DATAGRAM) {
                setInt(libc, fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVERR, 1);
            } else {
                int[] blocked = new int[8];
                Arrays.fill(blocked, -1);
                for (int type : new int[] {1, 2, 3, IcmpFamily.V6.echoReply}) {
                    blocked[type >> 5] &= ~(1 << (type & 31));
                }
                bestEffort(libc, fd, LibC.IPPROTO_ICMPV6, LibC.ICMP6_FILTER, blocked, "ICMP6_FILTER");
            }
        }
    }

    /** Whether the receiver still runs; a socket whose receiver stopped is replaced. */
    boolean receiving() {
        return running && receiver.isAlive();
    }

    /**
     * Sends {@code echo}'s request; on the sender thread only. Its listener hears {@code sent}, or
     * {@code failed} when the kernel refused it.
     */
    void send(PendingEcho echo) {
        try {
            applyOptions(echo.options);
        } catch (LastErrorException e) {
            echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE, "cannot set ttl "
                    + echo.options.ttl() + " or dont_fragment on the " + family.label + " socket: " + text(e)));
            return;
        }
        int sequence = freeSequence();
        if (sequence < 0) {
            echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE,
                    "65536 " + family.label + " echo requests are already waiting for replies"));
            return;
        }
        byte[] payload = payload(echo.options.payloadBytes());
        byte[] packet = IcmpPackets.echoRequest(family, identifier, sequence, payload);
        byte[] address = SocketAddresses.encode(echo.destination);
        echo.sequence = sequence;
        echo.payload = payload;
        pending.put(sequence, echo);
        echo.socket = this;
        if (echo.cancelled()) {
            pending.remove(sequence, echo);
            return;
        }
        echo.sentNanos = System.nanoTime();
        try {
            libc.sendto(fd, packet, new NativeLong(packet.length), LibC.MSG_DONTWAIT, address, address.length);
        } catch (LastErrorException e) {
            if (pending.remove(sequence, echo)) {
                echo.listener.failed(sendFailure(e, echo, packet.length));
            }
            return;
        }
        echo.announceSent(echo.sentNanos);
    }

    /** Drops {@code echo}'s registration, if it still has one. */
    void forget(PendingEcho echo) {
        pending.remove(echo.sequence, echo);
    }

    /** How many requests wait for an answer. */
    int pendingCount() {
        return pending.size();
    }

    /** Stops the receiver (within its poll timeout) and closes the socket. */
    @Override
    public void close() {
        running = false;
        if (Thread.currentThread() != receiver) {
            try {
                receiver.join(POLL_MILLIS * 10L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (receiver.isAlive()) {
            // Closing now could hand the descriptor number to another file while poll still uses it.
            LOG.warn("The {} receiver did not stop; its socket is left open", receiver.getName());
            return;
        }
        closeQuietly(libc, fd);
    }

    private void applyOptions(EchoOptions options) {
        int ttl = options.ttl() == 0 ? -1 : options.ttl();
        if (ttl != appliedTtl) {
            if (family == IcmpFamily.V4) {
                setInt(libc, fd, LibC.IPPROTO_IP, LibC.IP_TTL, ttl);
            } else {
                setInt(libc, fd, LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, ttl);
            }
            appliedTtl = ttl;
        }
        if (family == IcmpFamily.V4) {
            int discovery = options.dontFragment() ? LibC.IP_PMTUDISC_DO : LibC.IP_PMTUDISC_WANT;
            if (discovery != appliedMtuDiscovery) {
                setInt(libc, fd, LibC.IPPROTO_IP, LibC.IP_MTU_DISCOVER, discovery);
                appliedMtuDiscovery = discovery;
            }
        }
    }

    private int freeSequence() {
        for (int tries = 0; tries <= 0xffff; tries++) {
            int sequence = nextSequence;
            nextSequence = (nextSequence + 1) & 0xffff;
            if (!pending.containsKey(sequence)) {
                return sequence;
            }
        }
        return -1;
    }

    private byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = token[i % token.length];
        }
        return payload;
    }

    private EchoFailure sendFailure(LastErrorException e, PendingEcho echo, int packetBytes) {
        String to = NetUtil.toAddressString(echo.destination);
        String detail = switch (e.getErrorCode()) {
            case LibC.EMSGSIZE -> "cannot send " + packetBytes + " bytes of ICMP to " + to
                    + " unfragmented: " + text(e);
            case LibC.EPERM, LibC.EACCES -> "sending to " + to + " was refused on this host (a firewall rule?): "
                    + text(e);
            default -> "cannot send to " + to + source.map(from -> " from " + NetUtil.toAddressString(from)).orElse("")
                    + ": " + text(e);
        };
        return new EchoFailure(EchoFailure.Kind.UNREACHABLE, detail);
    }

    private void receive() {
        MessageHeader message = new MessageHeader();
        byte[] packet = new byte[MessageHeader.DATA_CAPACITY];
        Memory pollFd = new Memory(8);
        NativeLong one = new NativeLong(1);
        while (running) {
            pollFd.setInt(0, fd);
            pollFd.setShort(4, LibC.POLLIN);
            pollFd.setShort(6, (short) 0);
            int ready;
            try {
                ready = libc.poll(pollFd, one, POLL_MILLIS);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                LOG.error("Waiting on the {} socket failed; a new one will be opened: {}", family.label, text(e));
                break;
            }
            if (ready <= 0) {
                continue;
            }
            short events = pollFd.getShort(6);
            if ((events & LibC.POLLNVAL) != 0) {
                LOG.error("The {} socket was closed under its receiver; a new one will be opened", family.label);
                break;
            }
            try {
                boolean drained = (events & LibC.POLLERR) != 0 && drainErrors(message, packet);
                // A pending socket error without a queued message is cleared by a plain read.
                if ((events & LibC.POLLIN) != 0 || ((events & LibC.POLLERR) != 0 && !drained)) {
                    receiveOne(message, packet);
                }
            } catch (RuntimeException e) {
                LOG.error("Reading the {} socket failed; the receiver goes on", family.label, e);
            }
        }
        running = false;
    }

    private void receiveOne(MessageHeader message, byte[] packet) {
        Pointer header = message.prepare();
        int length;
        try {
            length = (int) libc.recvmsg(fd, header, LibC.MSG_DONTWAIT).longValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EAGAIN && e.getErrorCode() != LibC.EINTR) {
                LOG.debug("Reading the {} socket: {}", family.label, text(e));
            }
            return;
        }
        long receivedNanos = System.nanoTime();
        if ((message.flags() & LibC.MSG_TRUNC) != 0) {
            return;
        }
        message.copyData(packet, length);
        boolean withIpHeader = family == IcmpFamily.V4 && mode == SocketMode.RAW;
        IcmpPackets.Message parsed = IcmpPackets.parse(family, withIpHeader, packet, length);
        if (parsed instanceof IcmpPackets.Reply reply) {
            replied(reply, packet, receivedNanos, message);
        } else if (parsed instanceof IcmpPackets.Error error) {
            erred(error, message.sender());
        }
    }

    private void replied(IcmpPackets.Reply reply, byte[] packet, long receivedNanos, MessageHeader message) {
        if (mode == SocketMode.RAW && reply.identifier() != identifier) {
            return;
        }
        PendingEcho echo = pending.get(reply.sequence());
        if (echo == null || !echoes(echo.payload, packet, reply) || !pending.remove(reply.sequence(), echo)) {
            return;
        }
        int hopLimit = reply.hopLimit() >= 0 ? reply.hopLimit() : message.hopLimit();
        long roundTrip = Math.max(0, receivedNanos - echo.sentNanos);
        InetAddress from = message.sender().orElse(echo.destination);
        EchoReply news = new EchoReply(from, reply.sequence(), roundTrip, hopLimit);
        echo.settle(() -> echo.listener.replied(news));
    }

    private static boolean echoes(byte[] payload, byte[] packet, IcmpPackets.Reply reply) {
        return reply.payloadLength() == payload.length && Arrays.equals(payload, 0, payload.length,
                packet, reply.payloadOffset(), reply.payloadOffset() + reply.payloadLength());
    }

    private void erred(IcmpPackets.Error error, Optional<InetAddress> reporter) {
        if (mode == SocketMode.RAW && error.identifier() != identifier) {
            return;
        }
        PendingEcho echo = pending.get(error.sequence());
        if (echo == null || !pending.remove(error.sequence(), echo)) {
            return;
        }
        String what = IcmpPackets.describeError(family, error.type(), error.code(), error.mtu());
        EchoFailure news = icmpFailure(echo, IcmpPackets.isTimeExceeded(family, error.type()), what, reporter);
        echo.settle(() -> echo.listener.failed(news));
    }

    /** Reads a ping socket's error queue; true when anything was in it. */
    private boolean drainErrors(MessageHeader message, byte[] packet) {
        boolean any = false;
        for (int i = 0; i < MAX_ERRORS_PER_WAKEUP; i++) {
            Pointer header = message.prepare();
            int length;
            try {
                length = (int) libc.recvmsg(fd, header, LibC.MSG_ERRQUEUE | LibC.MSG_DONTWAIT).longValue();
            } catch (LastErrorException e) {
                return any;
            }
            any = true;
            message.copyData(packet, Math.min(length, packet.length));
            int sequence = IcmpPackets.requestSequence(family, packet, length);
            Optional<MessageHeader.ExtendedError> error = message.extendedError();
            PendingEcho echo = sequence < 0 ? null : pending.get(sequence);
            if (echo == null || error.isEmpty() || !pending.remove(sequence, echo)) {
                continue;
            }
            MessageHeader.ExtendedError extended = error.get();
            if (extended.origin() == LibC.SO_EE_ORIGIN_ICMP || extended.origin() == LibC.SO_EE_ORIGIN_ICMP6) {
                String what = IcmpPackets.describeError(family, extended.type(), extended.code(), extended.info());
                EchoFailure news = icmpFailure(echo, IcmpPackets.isTimeExceeded(family, extended.type()), what,
                        extended.offender());
                echo.settle(() -> echo.listener.failed(news));
            } else {
                String why = libc.strerror(extended.errno())
                        + (extended.errno() == LibC.EMSGSIZE ? " (MTU " + extended.info() + ")" : "");
                EchoFailure news = new EchoFailure(EchoFailure.Kind.UNREACHABLE,
                        "cannot send to " + NetUtil.toAddressString(echo.destination) + ": " + why);
                echo.settle(() -> echo.listener.failed(news));
            }
        }
        return any;
    }

    private static EchoFailure icmpFailure(PendingEcho echo, boolean timeExceeded, String what,
            Optional<InetAddress> reporter) {
        String to = NetUtil.toAddressString(echo.destination);
        String by = reporter.map(NetUtil::toAddressString).orElse("an unknown router");
        if (timeExceeded) {
            String ttl = echo.options.ttl() == 0 ? "" : " (ttl " + echo.options.ttl() + ")";
            return new EchoFailure(EchoFailure.Kind.TIME_EXCEEDED, what + " at router " + by + " on the way to " + to + ttl);
        }
        return new EchoFailure(EchoFailure.Kind.UNREACHABLE, to + " unreachable: " + what + ", reported by " + by);
    }

    private String text(LastErrorException e) {
        return libc.strerror(e.getErrorCode());
    }

    private static void setInt(LibC libc, int fd, int level, int name, int value) {
        libc.setsockopt(fd, level, name, new int[] {value}, 4);
    }

    private static void bestEffort(LibC libc, int fd, int level, int name, int[] value, String what) {
        try {
            libc.setsockopt(fd, level, name, value, value.length * 4);
        } catch (LastErrorException e) {
            // Only a saving: the receiver ignores what is not for it anyway.
            LOG.debug("{} not set: {}", what, e.getMessage());
        }
    }

    private static void closeQuietly(LibC libc, int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            LOG.debug("Closing ICMP socket {}: {}", fd, e.getMessage());
        }
    }
}
