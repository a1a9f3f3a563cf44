package dev.vigil.agent.icmp;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's ICMP sockets: one per address family (and per source address a check names), opened
 * on first use and kept until {@link #close()}, with one sender thread for all of them and one
 * receiver thread each. Probes call {@link #echo} from their event loop; no system call runs there.
 *
 * <p>A socket is opened in the first {@link SocketMode} this process is allowed: by default an
 * unprivileged ping socket, else a raw socket. When neither is allowed, every request fails with
 * {@link EchoFailure.Kind#NOT_PERMITTED} and a detail naming the fix; the next request tries again,
 * so a widened {@code net.ipv4.ping_group_range} takes effect without a restart.
 */
public final class IcmpSockets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpSockets.class);
    private static final List<SocketMode> DEFAULT_MODES = List.of(SocketMode.DATAGRAM, SocketMode.RAW);

    private final Supplier<LibC> loader;
    private final List<SocketMode> modes;
    private final ExecutorService sender;

    /** Changed on the sender thread only; concurrent so that {@link #pendingCount()} may read it. */
    private final Map<SocketKey, EchoSocket> sockets = new ConcurrentHashMap<>();
    // Sender thread only.
    private final Set<IcmpFamily> refusalLogged = EnumSet.noneOf(IcmpFamily.class);
    private LibC libc;

    private IcmpSockets(Supplier<LibC> loader, List<SocketMode> modes) {
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("at least one socket mode is needed");
        }
        this.loader = loader;
        this.modes = List.copyOf(modes);
        this.sender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "vigil-icmp-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sockets through the C library, ping sockets first, raw sockets when those are not allowed. */
    public static IcmpSockets open() {
        return new IcmpSockets(IcmpSockets::loadLibC, DEFAULT_MODES);
    }

    /** Sockets through the C library, trying only {@code modes}, in order. */
    public static IcmpSockets open(SocketMode... modes) {
        return new IcmpSockets(IcmpSockets::loadLibC, List.of(modes));
    }

    /** Sockets through {@code libc} instead of the C library, trying {@code modes} in order (tests). */
    public static IcmpSockets using(LibC libc, SocketMode... modes) {
        Objects.requireNonNull(libc, "libc");
        return new IcmpSockets(() -> libc, List.of(modes));
    }

    /**
     * Sends one echo request to {@code destination} as soon as the sender thread gets to it;
     * {@code listener} hears what becomes of it. Never blocks.
     */
    public EchoHandle echo(InetAddress destination, EchoOptions options, EchoListener listener) {
        PendingEcho echo = new PendingEcho(destination, options, listener);
        try {
            sender.execute(() -> send(echo));
        } catch (RejectedExecutionException e) {
            listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE, "the agent's ICMP sockets are closed"));
        }
        return echo;
    }

    /** How many requests wait for an answer, over all sockets. */
    int pendingCount() {
        return sockets.values().stream().mapToInt(EchoSocket::pendingCount).sum();
    }

    /** Stops the sender, then closes every socket (each receiver stops within its poll timeout). */
    @Override
    public void close() {
        try {
            sender.execute(this::closeSockets);
        } catch (RejectedExecutionException e) {
            return;
        }
        sender.shutdown();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("ICMP sockets not closed within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(PendingEcho echo) {
        if (echo.cancelled()) {
            return;
        }
        try {
            EchoSocket socket = socketFor(echo);
            if (socket != null) {
                socket.send(echo);
            }
        } catch (RuntimeException e) {
            LOG.error("Sending an echo request to {} failed", echo.destination, e);
            echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE,
                    "sending an echo request failed: " + e));
        }
    }

    /** The socket for {@code echo}, opened if need be; null after telling its listener why there is none. */
    private EchoSocket socketFor(PendingEcho echo) {
        IcmpFamily family = IcmpFamily.of(echo.destination);
        Optional<InetAddress> source = echo.options.source();
        if (source.isPresent() && IcmpFamily.of(source.get()) != family) {
            echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNREACHABLE, "cannot send to "
                    + NetUtil.toAddressString(echo.destination) + " (" + family.label + ") from source_address "
                    + NetUtil.toAddressString(source.get()) + " of the other family"));
            return null;
        }
        SocketKey key = new SocketKey(family, source);
        EchoSocket socket = sockets.get(key);
        if (socket != null && socket.receiving()) {
            return socket;
        }
        if (socket != null) {
            sockets.remove(key);
            socket.close();
        }
        LibC library = library(echo);
        if (library == null) {
            return null;
        }
        List<String> refusals = new ArrayList<>();
        for (SocketMode mode : modes) {
            try {
                socket = EchoSocket.open(library, family, mode, source);
            } catch (EchoSocket.OpenFailure e) {
                String why = library.strerror(e.errno);
                if (e.binding) {
                    echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNREACHABLE, "cannot send from source_address "
                            + source.map(NetUtil::toAddressString).orElse("") + ": " + why));
                    return null;
                }
                if (e.errno == LibC.EAFNOSUPPORT || e.errno == LibC.EPROTONOSUPPORT || e.errno == LibC.ESOCKTNOSUPPORT) {
                    echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNREACHABLE,
                            family.label + " is not available on this host: " + why));
                    return null;
                }
                if (e.errno != LibC.EPERM && e.errno != LibC.EACCES) {
                    echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE,
                            "cannot open " + describe(family, mode) + ": " + why));
                    return null;
                }
                refusals.add(describe(family, mode) + " (" + why + ")");
                continue;
            }
            sockets.put(key, socket);
            refusalLogged.remove(family);
            LOG.info("{} echo requests{} go through {}{}", family.label,
                    source.map(from -> " from " + NetUtil.toAddressString(from)).orElse(""), describe(family, mode),
                    refusals.isEmpty() ? "" : "; refused: " + String.join(", ", refusals));
            return socket;
        }
        String detail = notPermitted(refusals);
        if (refusalLogged.add(family)) {
            LOG.warn("{}", detail);
        }
        echo.listener.failed(new EchoFailure(EchoFailure.Kind.NOT_PERMITTED, detail));
        return null;
    }

    private String notPermitted(List<String> refusals) {
        return "ICMP echo is not permitted for this agent: " + String.join(" and ", refusals)
                + " refused; grant the agent CAP_NET_RAW (setcap cap_net_raw+ep on its java binary, or"
                + " AmbientCapabilities=CAP_NET_RAW in its systemd unit), or allow ping sockets for its group"
                + " (sysctl net.ipv4.ping_group_range)";
    }

    private static String describe(IcmpFamily family, SocketMode mode) {
        return mode == SocketMode.RAW ? "a raw " + family.label + " socket" : "an " + family.label + " ping socket";
    }

    private LibC library(PendingEcho echo) {
        if (libc == null) {
            try {
                libc = loader.get();
            } catch (RuntimeException | LinkageError e) {
                echo.listener.failed(new EchoFailure(EchoFailure.Kind.UNAVAILABLE,
                        "ICMP echo is not available in this agent: " + e.getMessage()));
                return null;
            }
        }
        return libc;
    }

    private void closeSockets() {
        sockets.values().forEach(EchoSocket::close);
        sockets.clear();
    }

    private static LibC loadLibC() {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("it needs Linux (this is " + System.getProperty("os.name") + ")");
        }
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("the C library cannot be loaded through JNA: " + e.getMessage(), e);
        }
    }

    /** What distinguishes one socket from another. */
    private record SocketKey(IcmpFamily family, Optional<InetAddress> source) {
    }
}
