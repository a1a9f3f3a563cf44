package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.DnsRcode;
import dev.vigil.config.check.DnsRecordChecks;
import dev.vigil.config.check.DnsTransport;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Probes a DNS server: one query (name, type, class IN, the RD bit as configured, no EDNS) over a new
 * UDP socket or TCP connection, one response read and checked: its id and question, its response code
 * against {@code valid_rcodes}, its records against the section checks.
 *
 * <p>The sample's status code is the response code (0 = NOERROR, 3 = NXDOMAIN, ...), so it is also 0
 * when no response arrived: the outcome tells the two apart. The DNS phase is the lookup of the
 * server's own name (when it is not an IP literal), the connect phase the TCP handshake (UDP has none),
 * first byte the time from the query handed to the socket to the whole response read.
 *
 * <p>Over UDP a response whose id is not the query's is ignored and the probe keeps waiting, as stub
 * resolvers do (a stray or forged datagram must not count as the answer); if nothing better arrives,
 * the timeout's detail says how many were ignored. Over TCP the connection carries only this query,
 * so a wrong id is a {@code PROTOCOL_ERROR}. A truncated UDP answer (TC bit) is not retried over TCP:
 * it is checked as it is, counted in the {@code probe_dns_truncated} fact and named in the detail of a
 * failure, as blackbox_exporter (which also does not retry) would see it.
 */
public final class DnsProbe implements Probe {
    /** The largest DNS message, UDP or TCP; a UDP datagram up to this size is read whole. */
    private static final int MAX_MESSAGE_BYTES = 65_535;
    private static final double NANOS_PER_SECOND = 1e9;

    private final DnsProbeSpec spec;
    private final Duration timeout;
    private final EvidenceCapture evidence;
    private final DnsNameResolver resolver;
    private final DnsQuestion question;
    private final String asked;

    /**
     * A probe for {@code check}, whose settings are {@code spec}, resolving the server's name with what
     * {@code factory} shares.
     *
     * @throws IllegalArgumentException when the query name cannot be encoded
     */
    public DnsProbe(CheckConfig check, DnsProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.evidence = factory.evidence(check);
        this.resolver = factory.resolver(spec.network());
        this.question = new DefaultDnsQuestion(spec.queryName(), DnsRecordType.valueOf(spec.queryType().code()));
        this.asked = spec.queryType() + " " + spec.queryName();
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.server(), spec.port(), evidence);
        Exchange exchange = new Exchange(run);
        loop.execute(() -> {
            run.begin();
            run.beforeFinish(exchange::reportFacts);
            run.exchangeTimeoutDetail(after -> "no answer from " + run.target() + " to " + asked + " within " + after
                    + exchange.ignoredNote());
            run.resolve(resolver, spec.port(), server -> {
                if (spec.transport() == DnsTransport.UDP) {
                    exchange.overUdp(loop, server);
                } else {
                    exchange.overTcp(server);
                }
            });
        });
        return run.result();
    }

    /** One run's query and what came back; confined to the run's loop. */
    private final class Exchange {
        private final ProbeRun run;
        private final int id = ThreadLocalRandom.current().nextInt(1 << 16);
        private final CutShortDetector records = new CutShortDetector();
        private boolean udp;
        private int wrongIds;
        private boolean truncated;
        private boolean succeeded;
        private int answerCount;
        private int authorityCount;
        private int additionalCount;
        private Long serial;

        Exchange(ProbeRun run) {
            this.run = run;
        }

        void overUdp(EventLoop loop, InetSocketAddress server) {
            udp = true;
            run.exchanging();
            // A connected socket: the kernel drops datagrams from other addresses and reports an ICMP port
            // unreachable as an error on this socket instead of letting the query go unanswered.
            ChannelFuture opening = new Bootstrap()
                    .group(loop)
                    .channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            // Each read takes one whole datagram; the default 2 KiB buffer would cut a longer one.
                            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_MESSAGE_BYTES));
                            channel.pipeline().addLast(new DatagramDnsQueryEncoder(),
                                    new DatagramDnsResponseDecoder(records), new ResponseReader(Exchange.this));
                        }
                    })
                    .connect(server, spec.network().sourceAddress().map(source -> new InetSocketAddress(source, 0))
                            .orElse(null));
            run.closeOnFinish(opening.channel());
            run.evidence().remote(server);
            opening.addListener((ChannelFuture opened) -> {
                if (run.done()) {
                    return;
                }
                if (!opened.isSuccess()) {
                    finish(Outcome.NETWORK_UNREACHABLE, "cannot reach " + run.target() + ": "
                            + FailureClassifier.describe(opened.cause()));
                    return;
                }
                send(opened.channel(), new DatagramDnsQuery(null, server, id));
            });
        }

        void overTcp(InetSocketAddress server) {
            run.connect(server, spec.network().sourceAddress(), new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(new TcpDnsQueryEncoder(),
                            new TcpDnsResponseDecoder(records, MAX_MESSAGE_BYTES), new ResponseReader(Exchange.this));
                }
            }, channel -> send(channel, new DefaultDnsQuery(id)));
        }

        private void send(Channel channel, DnsQuery query) {
            query.setRecursionDesired(spec.recursionDesired());
            query.addRecord(DnsSection.QUESTION, question);
            // Timed from just before the write, not from its completion: the answer cannot come before it, so
            // the request phase is never shorter than the exchange, even if this thread is preempted after the send.
            run.requestSent();
            channel.writeAndFlush(query).addListener(written -> {
                if (!written.isSuccess()) {
                    failed(written.cause());
                }
            });
        }

        void read(DnsResponse response) {
            boolean cutShort = records.takeCutShort();
            if (response.id() != id) {
                if (udp) {
                    wrongIds++;
                    return;
                }
                finish(Outcome.PROTOCOL_ERROR, "answer from " + run.target() + " has id " + response.id()
                        + ", not the query's " + id);
                return;
            }
            run.firstByte();
            run.status(response.code().intValue());
            run.evidence().dns(rcodeName(response.code().intValue()), run.target(), List.of());
            truncated = response.isTruncated();
            if (cutShort && !truncated) {
                finish(Outcome.PROTOCOL_ERROR, "answer from " + run.target() + " to " + asked
                        + " ends before the records its header announces, and its TC bit is not set");
                return;
            }
            Optional<String> wrongQuestion = wrongQuestion(response);
            if (wrongQuestion.isPresent()) {
                finish(Outcome.PROTOCOL_ERROR, wrongQuestion.get());
                return;
            }
            List<String> answer;
            List<String> authority;
            List<String> additional;
            try {
                answer = texts(response, DnsSection.ANSWER);
                authority = texts(response, DnsSection.AUTHORITY);
                additional = texts(response, DnsSection.ADDITIONAL);
            } catch (DecoderException e) {
                finish(Outcome.PROTOCOL_ERROR, "not a valid DNS response from " + run.target() + ": " + e.getMessage());
                return;
            }
            List<String> shown = new ArrayList<>(answer);
            for (String record : authority) {
                shown.add("authority " + record);
            }
            run.evidence().dns(rcodeName(response.code().intValue()), run.target(), shown);
            succeeded = true;
            answerCount = answer.size();
            authorityCount = authority.size();
            additionalCount = additional.size();
            for (int i = 0; i < answerCount; i++) {
                if (response.recordAt(DnsSection.ANSWER, i) instanceof DnsRawRecord soa
                        && soa.type().equals(DnsRecordType.SOA)) {
                    serial = DnsRecordText.soaSerial(soa);
                }
            }
            int rcode = response.code().intValue();
            if (spec.validRcodes().stream().noneMatch(valid -> valid.code() == rcode)) {
                finish(Outcome.STATUS_MISMATCH, "rcode " + rcodeName(rcode) + " from " + run.target() + " to " + asked
                        + ", expected " + spec.validRcodes().stream().sorted().map(DnsRcode::name)
                                .collect(Collectors.joining(" or ")));
                return;
            }
            Optional<String> failure = DnsSectionChecks.failure("answer", answer, spec.answer())
                    .or(() -> DnsSectionChecks.failure("authority", authority, spec.authority()))
                    .or(() -> DnsSectionChecks.failure("additional", additional, spec.additional()));
            if (failure.isPresent()) {
                finish(Outcome.ASSERTION_FAILED, failure.get());
                return;
            }
            finish(Outcome.OK, "");
        }

        /** What is wrong with the response's question section, if anything. */
        private Optional<String> wrongQuestion(DnsResponse response) {
            int questions = response.count(DnsSection.QUESTION);
            // Servers refusing or failing a query sometimes leave the question out; the id already ties it to ours.
            if (questions == 0 && response.code().intValue() != DnsRcode.NOERROR.code()) {
                return Optional.empty();
            }
            if (questions != 1) {
                return Optional.of("answer from " + run.target() + " to " + asked + " holds " + questions
                        + " questions, not 1");
            }
            DnsQuestion echoed = response.recordAt(DnsSection.QUESTION);
            if (echoed.name().equalsIgnoreCase(question.name()) && echoed.type().equals(question.type())
                    && echoed.dnsClass() == DnsRecord.CLASS_IN) {
                return Optional.empty();
            }
            String type = DnsRecordText.typeName(echoed.type().intValue());
            return Optional.of("answer from " + run.target() + " is for "
                    + (type == null ? "TYPE" + echoed.type().intValue() : type) + " " + echoed.name()
                    + (echoed.dnsClass() == DnsRecord.CLASS_IN ? "" : " class " + echoed.dnsClass())
                    + ", not the query's " + asked);
        }

        private List<String> texts(DnsResponse response, DnsSection section) {
            List<String> texts = new ArrayList<>(response.count(section));
            for (int i = 0; i < response.count(section); i++) {
                texts.add(DnsRecordText.of(response.recordAt(section, i)));
            }
            return texts;
        }

        void failed(Throwable cause) {
            if (run.done()) {
                return;
            }
            if (hasCause(cause, PortUnreachableException.class)) {
                finish(Outcome.CONNECT_REFUSED, "nothing listens on UDP " + run.target() + " (ICMP port unreachable)");
            } else if (hasCause(cause, DecoderException.class)) {
                finish(Outcome.PROTOCOL_ERROR, "not a valid DNS response from " + run.target() + ": "
                        + FailureClassifier.describe(cause));
            } else {
                run.fail(cause);
            }
        }

        void closed() {
            if (!run.done()) {
                finish(Outcome.CONNECTION_RESET, "connection to " + run.target() + " closed before an answer to "
                        + asked);
            }
        }

        private void finish(Outcome outcome, String detail) {
            run.finish(outcome, truncated && outcome != Outcome.OK
                    ? detail + " (the answer was truncated: TC bit set)" : detail);
        }

        String ignoredNote() {
            return wrongIds == 0 ? "" : " (ignored " + wrongIds + (wrongIds == 1 ? " response" : " responses")
                    + " with a wrong id)";
        }

        /** blackbox_exporter's DNS facts, plus whether the answer was truncated; on every run, however it ended. */
        void reportFacts() {
            run.fact(ProbeFact.of("probe_dns_duration_seconds", "phase", "resolve", seconds(run.dnsNanos())));
            run.fact(ProbeFact.of("probe_dns_duration_seconds", "phase", "connect", seconds(run.connectNanos())));
            run.fact(ProbeFact.of("probe_dns_duration_seconds", "phase", "request", seconds(run.firstByteNanos())));
            run.fact(ProbeFact.of("probe_dns_answer_rrs", answerCount));
            run.fact(ProbeFact.of("probe_dns_authority_rrs", authorityCount));
            run.fact(ProbeFact.of("probe_dns_additional_rrs", additionalCount));
            run.fact(ProbeFact.of("probe_dns_query_succeeded", succeeded ? 1 : 0));
            run.fact(ProbeFact.of("probe_dns_truncated", truncated ? 1 : 0));
            // blackbox_exporter reports the serial of every SOA query that got an answer, 0 when it held no SOA.
            if (serial != null || (succeeded && question.type().equals(DnsRecordType.SOA))) {
                run.fact(ProbeFact.of("probe_dns_serial", serial == null ? 0 : serial));
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos == Sample.NOT_MEASURED ? 0 : nanos / NANOS_PER_SECOND;
    }

    private static String rcodeName(int rcode) {
        return Arrays.stream(DnsRcode.values()).filter(known -> known.code() == rcode).findFirst()
                .map(DnsRcode::name).orElse(Integer.toString(rcode));
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Netty's record decoder, noting when a record does not fit in what is left of the message: Netty
     * then stops decoding and hands on the records so far, which is right only for a truncated answer.
     */
    private static final class CutShortDetector implements DnsRecordDecoder {
        private boolean cutShort;

        @Override
        public DnsQuestion decodeQuestion(ByteBuf in) throws Exception {
            return DnsRecordDecoder.DEFAULT.decodeQuestion(in);
        }

        @Override
        public <T extends DnsRecord> T decodeRecord(ByteBuf in) throws Exception {
            T record = DnsRecordDecoder.DEFAULT.decodeRecord(in);
            cutShort |= record == null;
            return record;
        }

        /** Whether the message decoded last was cut short; resets for the next one. */
        boolean takeCutShort() {
            boolean was = cutShort;
            cutShort = false;
            return was;
        }
    }

    /** Hands the run's responses to its exchange, and releases them. */
    private static final class ResponseReader extends ChannelInboundHandlerAdapter {
        private final Exchange exchange;

        ResponseReader(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!exchange.run.done() && msg instanceof DnsResponse response) {
                    exchange.read(response);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            exchange.closed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exchange.failed(cause);
        }
    }
}
