package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.SendTemplate;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TcpStep;
import dev.vigil.config.DurationText;
import dev.vigil.protocol.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Probes a TCP service: resolve, connect, optionally speak TLS (right after the connect, or by
 * STARTTLS within the dialogue), and go through the check's dialogue, a list of steps each of which
 * waits for a line matching an expression, sends a line and upgrades to TLS, in that order. Without
 * a dialogue, success means the connect (and the TLS handshake) completed.
 *
 * <p><b>Lines.</b> A line ends at {@code \n} (a {@code \r} before it is dropped), and so does the
 * stream: the peer closing after a last line without a line break still delivers it. Lines are
 * decoded as UTF-8; one longer than {@value #MAX_LINE_BYTES} bytes fails the run as
 * {@link Outcome#PROTOCOL_ERROR}. A line that arrives while no expect waits is kept for the next
 * expect, which reads it first, as a reader of the byte stream would. An expect skips lines that do
 * not match; the connection closing before one does is {@link Outcome#ASSERTION_FAILED} (and the fact
 * {@code probe_failed_due_to_regex} 1), the deadline passing is {@link Outcome#TIMEOUT} naming the
 * expression.
 *
 * <p><b>STARTTLS.</b> Lines received in plain text but not read before the upgrade are dropped, so
 * that a peer (or someone in the path) cannot inject text that would then read as if it came over
 * TLS.
 *
 * <p><b>Timing.</b> The TLS phase is the handshake, on connect or at STARTTLS. The first byte is the
 * time from the start of the dialogue (after the connect and any TLS on connect), or from the
 * completion of the last send before it, to the first byte of data the server sent: for a banner
 * protocol the server's greeting time, for a request-first protocol its answer time. It is not
 * measured without a dialogue.
 */
public final class TcpProbe implements Probe {
    /**
     * The longest line read, in bytes without its line break: 64 KiB, where Go's {@code bufio.Scanner},
     * with which blackbox_exporter reads lines, also stops.
     */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private static final int SHOWN_LINE_CHARS = 100;
    private static final String LINES = "lines";
    private static final String DIALOGUE = "dialogue";

    private final TcpProbeSpec spec;
    private final Duration timeout;
    private final EvidenceCapture evidence;
    private final DnsNameResolver resolver;
    private final SslContext tls;
    private final InstantSource clock;
    /** The send of each dialogue step, parsed once; null where a step sends nothing. */
    private final List<SendTemplate> sends;

    /**
     * A probe for {@code check}, whose settings are {@code spec}, resolving names, speaking TLS and
     * reading the clock with what {@code factory} shares.
     *
     * @throws IllegalArgumentException when the TLS settings cannot be used (an unreadable key file)
     */
    public TcpProbe(CheckConfig check, TcpProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.evidence = factory.evidence(check);
        this.resolver = factory.resolver(spec.network());
        boolean speaksTls = spec.tlsOnConnect() || spec.dialogue().stream().anyMatch(TcpStep::startTls);
        this.tls = speaksTls ? factory.tls().client(spec.tls(), List.of()) : null;
        this.clock = factory.clock();
        List<SendTemplate> templates = new ArrayList<>();
        for (TcpStep step : spec.dialogue()) {
            templates.add(step.send().map(SendTemplate::parse).orElse(null));
        }
        this.sends = templates;
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), spec.port(), evidence);
        Conversation conversation = new Conversation(run);
        loop.execute(() -> {
            // Armed before run.begin() arms the run's own deadline, with the same delay: Netty runs tasks
            // due at the same time in the order they were scheduled, so this one meets an unanswered
            // expect first and names it, where the run's deadline could only say "no response".
            conversation.deadline = loop.schedule(conversation::deadlinePassed, timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            run.begin();
            run.resolve(resolver, spec.port(), address -> connect(run, conversation, address));
        });
        return run.result().thenApply(conversation::withFacts);
    }

    private void connect(ProbeRun run, Conversation conversation, InetSocketAddress address) {
        run.connect(address, spec.network().sourceAddress(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new FirstByteMarker(run))
                        .addLast(LINES, new LineDecoder())
                        .addLast(DIALOGUE, conversation);
            }
        }, conversation::connected);
    }

    /** What the conversation waits for; decides what a line, the peer closing or the deadline means. */
    private enum Waiting { NOTHING, LINE, WRITE, HANDSHAKE }

    /** Where the current step is: its expect, its send, its STARTTLS. */
    private enum Stage { EXPECT, SEND, START_TLS }

    /** One run's way through the dialogue; the last handler of its pipeline. Confined to the run's loop. */
    private final class Conversation extends ChannelInboundHandlerAdapter {
        private final ProbeRun run;
        private final Deque<String> unread = new ArrayDeque<>();
        private ScheduledFuture<?> deadline;
        private Channel channel;
        private int step;
        private Stage stage = Stage.EXPECT;
        private Waiting waiting = Waiting.NOTHING;
        private Matcher lastMatch;
        private int linesScanned;
        private String lastLine;
        private boolean failedDueToRegex;

        Conversation(ProbeRun run) {
            this.run = run;
        }

        void connected(Channel connected) {
            channel = connected;
            if (spec.tlsOnConnect()) {
                startTls(this::converse);
            } else {
                converse();
            }
        }

        private void converse() {
            if (!spec.dialogue().isEmpty()) {
                // The wait for the server's first byte starts here, or at the next send written before it.
                run.requestSent();
            }
            advance();
        }

        /** Does the dialogue from where it stands until it must wait, fails, or ends. */
        private void advance() {
            List<TcpStep> steps = spec.dialogue();
            while (!run.done() && step < steps.size()) {
                TcpStep current = steps.get(step);
                switch (stage) {
                    case EXPECT -> {
                        if (current.expect().isPresent() && !readUnread(current.expect().get())) {
                            waiting = Waiting.LINE;
                            return;
                        }
                        stage = Stage.SEND;
                    }
                    case SEND -> {
                        stage = Stage.START_TLS;
                        SendTemplate send = sends.get(step);
                        if (send != null) {
                            send(send.expand(lastMatch));
                            return;
                        }
                    }
                    case START_TLS -> {
                        step++;
                        stage = Stage.EXPECT;
                        linesScanned = 0;
                        lastLine = null;
                        if (current.startTls()) {
                            startTls(this::advance);
                            return;
                        }
                    }
                }
            }
            run.finish(Outcome.OK, "");
        }

        /** Scans the lines that arrived before the expect did; whether one matched. */
        private boolean readUnread(Pattern expect) {
            for (String line = unread.poll(); line != null; line = unread.poll()) {
                if (scan(expect, line)) {
                    return true;
                }
            }
            return false;
        }

        private boolean scan(Pattern expect, String line) {
            linesScanned++;
            lastLine = line;
            Matcher matcher = expect.matcher(line);
            if (matcher.find()) {
                lastMatch = matcher;
                return true;
            }
            return false;
        }

        private void send(String text) {
            waiting = Waiting.WRITE;
            ByteBuf line = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
            channel.writeAndFlush(line).addListener(written -> {
                if (run.done()) {
                    return;
                }
                if (!written.isSuccess()) {
                    run.fail(written.cause());
                    return;
                }
                waiting = Waiting.NOTHING;
                run.requestSent();
                advance();
            });
        }

        private void startTls(Runnable then) {
            waiting = Waiting.HANDSHAKE;
            unread.clear();
            ChannelPipeline pipeline = channel.pipeline();
            // The old decoder may hold the start of a line that came in plain text: removing it hands
            // that to this handler, which drops it while the handshake runs, and a new decoder starts clean.
            pipeline.remove(LINES);
            pipeline.addBefore(DIALOGUE, LINES, new LineDecoder());
            TlsHandshake.start(run, channel, tls, spec.tls(), spec.host(), spec.port(), clock, () -> {
                run.exchanging();
                waiting = Waiting.NOTHING;
                then.run();
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                // While the handshake runs, what arrives is plain text from before the upgrade: dropped.
                if (run.done() || waiting == Waiting.HANDSHAKE || !(msg instanceof ByteBuf bytes)) {
                    return;
                }
                String line = bytes.toString(StandardCharsets.UTF_8);
                if (waiting != Waiting.LINE) {
                    unread.add(line);
                    return;
                }
                if (scan(spec.dialogue().get(step).expect().orElseThrow(), line)) {
                    waiting = Waiting.NOTHING;
                    stage = Stage.SEND;
                    advance();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!run.done()) {
                if (waiting == Waiting.LINE) {
                    failedDueToRegex = true;
                    run.finish(Outcome.ASSERTION_FAILED, "dialogue[" + step + "]: expected " + expected()
                            + " but the connection closed after " + linesScanned + (linesScanned == 1 ? " line" : " lines")
                            + (lastLine == null ? "" : "; last line: " + shown(lastLine)));
                } else {
                    run.finish(Outcome.CONNECTION_RESET, "dialogue[" + step + "]: connection to " + run.target()
                            + " closed by the peer" + (waiting == Waiting.WRITE ? " while sending" : ""));
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (run.done()) {
                return;
            }
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                run.finish(Outcome.PROTOCOL_ERROR, "dialogue[" + step + "]: a line from " + run.target()
                        + " is longer than " + MAX_LINE_BYTES + " bytes");
                return;
            }
            // A TLS alert after the handshake (a server refusing the client certificate, in TLS 1.3) is a TLS failure.
            TlsFailure.fail(run, cause, spec.tls());
        }

        /** At the run's deadline, names what the dialogue still waited for; other phases are the run's to name. */
        void deadlinePassed() {
            if (run.done()) {
                return;
            }
            String within = " within " + DurationText.format(timeout);
            if (waiting == Waiting.LINE) {
                run.finish(Outcome.TIMEOUT, "dialogue[" + step + "]: no line matching " + expected() + " from "
                        + run.target() + within + "; " + (lastLine == null ? "no line read"
                        : linesScanned + (linesScanned == 1 ? " line" : " lines") + " read, last line: "
                        + shown(lastLine)));
            } else if (waiting == Waiting.WRITE) {
                run.finish(Outcome.TIMEOUT, "dialogue[" + step + "]: send to " + run.target() + " not written" + within);
            }
        }

        /** {@code result} with the facts only the conversation knows. */
        ProbeResult withFacts(ProbeResult result) {
            deadline.cancel(false);
            List<ProbeFact> facts = new ArrayList<>(result.facts());
            facts.add(ProbeFact.of("probe_failed_due_to_regex", failedDueToRegex ? 1 : 0));
            return new ProbeResult(result.outcome(), result.dnsNanos(), result.connectNanos(), result.tlsNanos(),
                    result.firstByteNanos(), result.totalNanos(), result.statusCode(), result.detail(), facts,
                    result.evidence());
        }

        private String expected() {
            return "/" + spec.dialogue().get(step).expect().orElseThrow().pattern() + "/";
        }
    }

    private static String shown(String line) {
        String cut = line.length() > SHOWN_LINE_CHARS ? line.substring(0, SHOWN_LINE_CHARS) + "…" : line;
        return "'" + cut + "'";
    }

    /** Notes when the first (decrypted) byte from the server arrives; sits after TLS, before the line decoder. */
    private static final class FirstByteMarker extends ChannelInboundHandlerAdapter {
        private final ProbeRun run;

        FirstByteMarker(ProbeRun run) {
            this.run = run;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            run.firstByte();
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Lines of at most {@value #MAX_LINE_BYTES} bytes, without their line break. Like Go's
     * {@code bufio.Scanner}, it also delivers a last line that the end of the stream cut off.
     */
    private static final class LineDecoder extends LineBasedFrameDecoder {
        LineDecoder() {
            super(MAX_LINE_BYTES, true, true);
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            super.decodeLast(ctx, in, out);
            if (in.isReadable() && in.readableBytes() <= MAX_LINE_BYTES) {
                out.add(in.readRetainedSlice(in.readableBytes()));
            }
        }
    }
}
