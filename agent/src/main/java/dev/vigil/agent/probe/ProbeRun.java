package dev.vigil.agent.probe;

import dev.vigil.config.DurationText;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one probe run: its deadline, the phase it is in and the phase timings so far.
 *
 * <p>Confined to the run's event loop: every method is called on that loop, callbacks from
 * other threads (the DNS resolver's loop) hop onto it first. The first call that ends the run wins;
 * later events (a connect completing after the timeout, the peer closing after the response) find
 * {@link #done()} and do nothing. A run may use several connections one after the other (HTTP
 * redirects, see {@link #nextHop}): its phases are the current connection's, its start and deadline
 * are the run's.
 */
final class ProbeRun {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRun.class);

    /** What the run is waiting for; decides what a timeout or an I/O error means. */
    enum Phase { RESOLVING, CONNECTING, HANDSHAKING, EXCHANGING }

    private final EventLoop loop;
    private final Duration timeout;
    private String host;
    private String target;
    private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    private Phase phase = Phase.RESOLVING;
    private long startNanos;
    private long phaseStartNanos;
    private long dnsNanos = Sample.NOT_MEASURED;
    private long connectNanos = Sample.NOT_MEASURED;
    private long tlsNanos = Sample.NOT_MEASURED;
    private long firstByteNanos = Sample.NOT_MEASURED;
    private long requestSentNanos = Sample.NOT_MEASURED;
    private int statusCode;
    private Channel channel;
    private ScheduledFuture<?> timeoutTask;
    private final List<ProbeFact> facts = new ArrayList<>();
    private Runnable beforeFinish = () -> { };
    private final EvidenceRecorder evidence;
    private Held held;

    /** A run on {@code loop} against {@code host:port} that must end within {@code timeout}, capturing no evidence. */
    ProbeRun(EventLoop loop, Duration timeout, String host, int port) {
        this(loop, timeout, host, port, EvidenceCapture.DISABLED);
    }

    /** As {@link #ProbeRun(EventLoop, Duration, String, int)}, capturing failure evidence as {@code capture} says. */
    ProbeRun(EventLoop loop, Duration timeout, String host, int port, EvidenceCapture capture) {
        this.loop = loop;
        this.timeout = timeout;
        this.host = host;
        this.target = target(host, port);
        this.evidence = capture.recorder();
    }

    /** Where the run notes what its failure evidence is made of. */
    EvidenceRecorder evidence() {
        return evidence;
    }

    /**
     * Decides the run's end now, as {@code outcome} with {@code detail} and the total time so far, but
     * lets it go on for at most {@code wait} (and never past its deadline) to read more evidence, such
     * as the body of a response whose status already failed the run. Whatever ends the run after this
     * (the evidence complete, the peer closing, an error, the timeout) ends it as decided here.
     */
    void hold(Outcome outcome, String detail, Duration wait) {
        if (done() || held != null) {
            return;
        }
        held = new Held(outcome, detail, System.nanoTime() - startNanos);
        long waitNanos = Math.max(0, Math.min(wait.toNanos(), remainingNanos()));
        loop.schedule(() -> finish(outcome, detail), waitNanos, TimeUnit.NANOSECONDS);
    }

    /** Ends a run {@link #hold held} for evidence, as decided when it was held. */
    void endHeld() {
        if (held != null) {
            finish(held.outcome(), held.detail());
        }
    }

    /** Whether the run's end is decided and it only reads evidence now. */
    boolean held() {
        return held != null;
    }

    /** An end decided before the run stops reading; see {@link #hold}. */
    private record Held(Outcome outcome, String detail, long totalNanos) {
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String target(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    CompletableFuture<ProbeResult> result() {
        return result;
    }

    boolean done() {
        return result.isDone();
    }

    /**
     * Runs {@code hook} once, just before the run ends however it ends (success, failure, timeout),
     * while facts can still be added: the place for facts that describe the run as a whole.
     */
    void beforeFinish(Runnable hook) {
        this.beforeFinish = hook;
    }

    /**
     * Starts another connection of the same run (an HTTP redirect): closes the current connection,
     * forgets the previous connection's phase timings, status and facts, and from now on resolves
     * {@code host} and names {@code target} in details. The start time and deadline stay.
     */
    void nextHop(String host, String target) {
        if (channel != null) {
            Channel previous = channel;
            channel = null;
            previous.close();
        }
        this.host = host;
        this.target = target;
        phase = Phase.RESOLVING;
        dnsNanos = Sample.NOT_MEASURED;
        connectNanos = Sample.NOT_MEASURED;
        tlsNanos = Sample.NOT_MEASURED;
        firstByteNanos = Sample.NOT_MEASURED;
        requestSentNanos = Sample.NOT_MEASURED;
        statusCode = 0;
        facts.clear();
    }

    /** Starts the clock and arms the timeout; call first, on the loop. */
    void begin() {
        startNanos = System.nanoTime();
        phaseStartNanos = startNanos;
        timeoutTask = loop.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Resolves the host with {@code resolver} (timed as the DNS phase), or uses it as is when it is an
     * IP literal (DNS not measured), then calls {@code next} on the loop with the address.
     */
    void resolve(DnsNameResolver resolver, int port, Consumer<InetSocketAddress> next) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        if (literal != null) {
            addressFacts(literal);
            next.accept(new InetSocketAddress(literal, port));
            return;
        }
        phase = Phase.RESOLVING;
        phaseStartNanos = System.nanoTime();
        resolver.resolve(host).addListener((Future<InetAddress> lookup) -> loop.execute(() -> {
            if (done()) {
                return;
            }
            if (!lookup.isSuccess()) {
                fail(lookup.cause());
                return;
            }
            dnsNanos = System.nanoTime() - phaseStartNanos;
            addressFacts(lookup.getNow());
            next.accept(new InetSocketAddress(lookup.getNow(), port));
        }));
    }

    /** blackbox_exporter's facts about the address probed: its family, and a hash that changes when it does. */
    private void addressFacts(InetAddress address) {
        fact(ProbeFact.of("probe_ip_protocol", address instanceof Inet6Address ? 6 : 4));
        // FNV-1a (32 bit) of the address text, as blackbox_exporter computes probe_ip_addr_hash.
        int hash = 0x811c9dc5;
        for (byte b : address.getHostAddress().getBytes(StandardCharsets.US_ASCII)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        fact(ProbeFact.of("probe_ip_addr_hash", Integer.toUnsignedLong(hash)));
    }

    /**
     * Opens a new TCP connection to {@code address} with {@code handler} in its pipeline (timed as the
     * connect phase), then calls {@code next} on the loop with the connected channel.
     */
    void connect(InetSocketAddress address, ChannelHandler handler, Consumer<Channel> next) {
        connect(address, Optional.empty(), handler, next);
    }

    /** As {@link #connect(InetSocketAddress, ChannelHandler, Consumer)}, from {@code source} when one is given. */
    void connect(SocketAddress address, Optional<InetAddress> source, ChannelHandler handler,
            Consumer<Channel> next) {
        phase = Phase.CONNECTING;
        phaseStartNanos = System.nanoTime();
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos()));
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, remainingMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(handler)
                // Addresses come resolved by the run's own resolver, or unresolved for a proxy to
                // resolve; Bootstrap's default resolver would block the loop on a lookup.
                .disableResolver()
                .connect(address, source.map(local -> new InetSocketAddress(local, 0)).orElse(null));
        evidence.remote(address);
        channel = connecting.channel();
        connecting.addListener((ChannelFuture connected) -> {
            if (done()) {
                connected.channel().close();
                return;
            }
            if (!connected.isSuccess()) {
                fail(connected.cause());
                return;
            }
            connectNanos = System.nanoTime() - phaseStartNanos;
            next.accept(connected.channel());
        });
    }

    /**
     * Marks the end of a proxy tunnel's set-up after the TCP connect: the connect phase then covers
     * both, since only together do they reach the target.
     */
    void tunnelled() {
        connectNanos = System.nanoTime() - phaseStartNanos;
    }

    /** Marks the start of the TLS handshake. */
    void handshaking() {
        phase = Phase.HANDSHAKING;
        phaseStartNanos = System.nanoTime();
    }

    /** Marks the end of the TLS handshake. */
    void handshaken() {
        tlsNanos = System.nanoTime() - phaseStartNanos;
    }

    /** Marks the request as written; the first-byte time counts from here. */
    void requestSent() {
        phase = Phase.EXCHANGING;
        requestSentNanos = System.nanoTime();
    }

    /** Marks the request/response exchange as started, before the request is written. */
    void exchanging() {
        phase = Phase.EXCHANGING;
    }

    /** Marks the arrival of the first response byte; later calls do nothing. */
    void firstByte() {
        if (firstByteNanos == Sample.NOT_MEASURED && requestSentNanos != Sample.NOT_MEASURED) {
            firstByteNanos = Math.max(0, System.nanoTime() - requestSentNanos);
        }
    }

    /** Adds a fact to the run's result; facts added after the run ended are dropped. */
    void fact(ProbeFact fact) {
        if (!done()) {
            facts.add(fact);
        }
    }

    /** The time since {@link #begin()}, in nanoseconds. */
    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** The run's deadline as nanoseconds left, may be ≤ 0 once it has passed. */
    long remainingNanosOfTimeout() {
        return remainingNanos();
    }

    /** Records the protocol status that arrived (HTTP status code). */
    void status(int code) {
        statusCode = code;
    }

    int statusCode() {
        return statusCode;
    }

    /** The current connection's DNS time, or {@link Sample#NOT_MEASURED}. */
    long dnsNanos() {
        return dnsNanos;
    }

    /** The current connection's connect time, or {@link Sample#NOT_MEASURED}. */
    long connectNanos() {
        return connectNanos;
    }

    /** The current connection's TLS handshake time, or {@link Sample#NOT_MEASURED}. */
    long tlsNanos() {
        return tlsNanos;
    }

    /** The current connection's request-written-to-first-byte time, or {@link Sample#NOT_MEASURED}. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    String target() {
        return target;
    }

    /** Ends the run with {@code outcome}; {@code detail} is empty on success. */
    void finish(Outcome outcome, String detail) {
        if (done()) {
            return;
        }
        Runnable hook = beforeFinish;
        beforeFinish = () -> { };
        hook.run();
        long totalNanos = System.nanoTime() - startNanos;
        if (held != null) {
            outcome = held.outcome();
            detail = held.detail();
            totalNanos = held.totalNanos();
        }
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
        Optional<Evidence> failureEvidence = outcome.isSuccess() ? Optional.empty() : evidence.build(detail);
        result.complete(new ProbeResult(outcome, dnsNanos, connectNanos, tlsNanos, firstByteNanos, totalNanos,
                statusCode, detail, facts, failureEvidence));
        // Closed only after the result is set: closing fails a pending connect or write synchronously,
        // and that failure must find the run done rather than end it a second time.
        if (channel != null) {
            channel.close();
        }
    }

    /** Ends the run with the outcome {@code failure} means in the current phase. */
    void fail(Throwable failure) {
        if (done()) {
            return;
        }
        evidence.failure(failure);
        Outcome outcome = FailureClassifier.classify(failure, phase);
        String reason = FailureClassifier.describe(failure);
        String detail = switch (outcome) {
            case DNS_FAILED -> "DNS lookup of " + host + " failed: " + reason;
            case CONNECT_REFUSED -> "connection to " + target + " refused";
            case CONNECT_TIMEOUT -> "connect to " + target + " timed out: " + reason;
            case NETWORK_UNREACHABLE -> "cannot reach " + target + ": " + reason;
            case TLS_FAILED -> "TLS handshake with " + target + " failed: " + reason;
            case CONNECTION_RESET -> "connection to " + target + " reset or closed: " + reason;
            case PROTOCOL_ERROR -> "not a valid response from " + target + ": " + reason;
            default -> {
                LOG.warn("Probe of {} failed in an unexpected way; recorded as {}", target, outcome, failure);
                yield failure.getClass().getSimpleName() + " probing " + target + ": " + reason;
            }
        };
        finish(outcome, detail);
    }

    private void timedOut() {
        String after = DurationText.format(timeout);
        switch (phase) {
            case RESOLVING -> finish(Outcome.DNS_FAILED, "DNS lookup of " + host + " got no answer within " + after);
            case CONNECTING -> finish(Outcome.CONNECT_TIMEOUT, "connect to " + target + " not completed within " + after);
            case HANDSHAKING -> finish(Outcome.TIMEOUT, "TLS handshake with " + target + " not completed within " + after);
            case EXCHANGING -> finish(Outcome.TIMEOUT, exchangeTimeoutDetail != null
                    ? exchangeTimeoutDetail.apply(after)
                    : (statusCode == 0 ? "no response" : "response incomplete") + " from " + target + " within " + after);
        }
    }

    private long remainingNanos() {
        return startNanos + timeout.toNanos() - System.nanoTime();
    }

    // Hooks for probes that open their own sockets (the DNS probe).

    private Function<String, String> exchangeTimeoutDetail;

    /** Closes {@code socket}, which the probe opened itself, when the run finishes, as it closes a connection. */
    void closeOnFinish(Channel socket) {
        channel = socket;
    }

    /** Words a timeout while exchanging with {@code detail}, given the timeout as text ({@code 2s}). */
    void exchangeTimeoutDetail(Function<String, String> detail) {
        exchangeTimeoutDetail = detail;
    }

}
