package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.agent.icmp.EchoFailure;
import dev.vigil.agent.icmp.EchoHandle;
import dev.vigil.agent.icmp.EchoListener;
import dev.vigil.agent.icmp.EchoOptions;
import dev.vigil.agent.icmp.EchoReply;
import dev.vigil.agent.icmp.IcmpSockets;
import dev.vigil.config.DurationText;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Probes a host with ICMP echo (ping): resolve it, send {@code count} echo requests {@code spacing}
 * apart through the agent's {@link IcmpSockets}, and wait for the replies within the run's timeout.
 *
 * <p>Every reply in: {@code OK}. None: {@code TIMEOUT}, or {@code NETWORK_UNREACHABLE} when an
 * ICMP error (destination unreachable, TTL exceeded) or the local stack refused them. Some: {@code
 * PACKET_LOSS} when the share lost exceeds {@code max_loss}, else {@code OK}. {@code NOT_PERMITTED}
 * when the agent may open no ICMP socket. The run ends as soon as every request is answered or
 * failed, else at its deadline. The sample's first-byte time is the round trip of the first reply
 * to arrive.
 */
public final class IcmpProbe implements Probe {
    /**
     * The probe draws its conclusion this long before the run's deadline, so that its own verdict
     * (counts, loss) ends the run rather than the generic deadline, which is due just after it.
     */
    private static final long CONCLUDE_BEFORE_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final IcmpProbeSpec spec;
    private final Duration timeout;
    private final EvidenceCapture evidence;
    private final DnsNameResolver resolver;
    private final IcmpSockets sockets;
    private final EchoOptions options;

    /** A probe for {@code check}, whose settings are {@code spec}, using what {@code factory} shares. */
    public IcmpProbe(CheckConfig check, IcmpProbeSpec spec, ProbeFactory factory) {
        this(check, spec, factory.resolver(spec.network()), factory.icmp(), factory.evidence(check));
    }

    /** A probe that resolves with {@code resolver} and pings through {@code sockets}, capturing no evidence. */
    IcmpProbe(CheckConfig check, IcmpProbeSpec spec, DnsNameResolver resolver, IcmpSockets sockets) {
        this(check, spec, resolver, sockets, EvidenceCapture.DISABLED);
    }

    private IcmpProbe(CheckConfig check, IcmpProbeSpec spec, DnsNameResolver resolver, IcmpSockets sockets,
            EvidenceCapture evidence) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.evidence = evidence;
        this.resolver = resolver;
        this.sockets = sockets;
        this.options = new EchoOptions(spec.network().sourceAddress(), spec.ttl(), spec.dontFragment(),
                spec.payloadBytes());
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), 0, evidence);
        Exchange exchange = new Exchange(run, loop);
        // Attached before the run starts, so it runs on the loop that completes the run.
        CompletableFuture<ProbeResult> result = run.result().thenApply(exchange::withRoundTrip);
        loop.execute(() -> {
            run.begin();
            exchange.begun();
            run.resolve(resolver, 0, address -> exchange.start(address.getAddress()));
        });
        return result;
    }

    /** One run's echo requests and what came back; confined to the run's event loop. */
    private final class Exchange implements EchoListener {
        private final ProbeRun run;
        private final EventLoop loop;
        private final List<EchoHandle> handles = new ArrayList<>();
        private final List<Long> roundTrips = new ArrayList<>();
        private final List<EchoFailure> failures = new ArrayList<>();
        private InetAddress destination;
        private long begunNanos;
        private long resolvedNanos;
        private long firstSentNanos = Sample.NOT_MEASURED;
        private long firstRoundTripNanos = Sample.NOT_MEASURED;
        private int hopLimit = -1;
        private int requested;
        private int sent;
        private ScheduledFuture<?> conclusion;

        Exchange(ProbeRun run, EventLoop loop) {
            this.run = run;
            this.loop = loop;
        }

        void begun() {
            begunNanos = System.nanoTime();
        }

        void start(InetAddress address) {
            destination = address;
            run.evidence().remote(new InetSocketAddress(address, 0));
            resolvedNanos = System.nanoTime();
            long untilConclusion = run.remainingNanosOfTimeout() - CONCLUDE_BEFORE_DEADLINE_NANOS;
            if (untilConclusion <= 0) {
                conclude();
                return;
            }
            run.exchanging();
            conclusion = loop.schedule(this::conclude, untilConclusion, TimeUnit.NANOSECONDS);
            sendNext();
        }

        private void sendNext() {
            if (run.done()) {
                return;
            }
            handles.add(sockets.echo(destination, options, this));
            requested++;
            if (requested < spec.count()) {
                // Due times count from the first request, so a late send does not push the later ones back.
                long dueNanos = resolvedNanos + requested * spec.spacing().toNanos() - System.nanoTime();
                loop.schedule(this::sendNext, Math.max(0, dueNanos), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void sent(long sentNanos) {
            loop.execute(() -> {
                sent++;
                if (firstSentNanos == Sample.NOT_MEASURED) {
                    firstSentNanos = sentNanos;
                }
            });
        }

        @Override
        public void replied(EchoReply reply) {
            loop.execute(() -> {
                if (run.done()) {
                    return;
                }
                roundTrips.add(reply.roundTripNanos());
                if (firstRoundTripNanos == Sample.NOT_MEASURED) {
                    firstRoundTripNanos = reply.roundTripNanos();
                    hopLimit = reply.hopLimit();
                }
                concludeIfAllAnswered();
            });
        }

        @Override
        public void failed(EchoFailure failure) {
            loop.execute(() -> {
                if (run.done()) {
                    return;
                }
                switch (failure.kind()) {
                    case NOT_PERMITTED -> end(Outcome.NOT_PERMITTED, failure.detail());
                    case UNAVAILABLE -> end(Outcome.AGENT_ERROR, failure.detail());
                    case UNREACHABLE, TIME_EXCEEDED -> {
                        failures.add(failure);
                        concludeIfAllAnswered();
                    }
                }
            });
        }

        private void concludeIfAllAnswered() {
            if (requested == spec.count() && roundTrips.size() + failures.size() >= spec.count()) {
                conclude();
            }
        }

        private void conclude() {
            int count = spec.count();
            int received = roundTrips.size();
            int lost = count - received;
            if (lost == 0) {
                end(Outcome.OK, "");
            } else if (received == 0 && failures.isEmpty()) {
                end(Outcome.TIMEOUT, "no echo reply from " + target() + " within " + DurationText.format(timeout)
                        + " (" + sent + " of " + count + " requests sent)");
            } else if (received == 0) {
                end(Outcome.NETWORK_UNREACHABLE, failures.get(0).detail()
                        + (count > 1 ? "; " + failures.size() + " of " + count + " requests failed" : ""));
            } else if ((double) lost / count > spec.maxLossRatio()) {
                end(Outcome.PACKET_LOSS, lost + " of " + count + " echo replies from " + target() + " lost ("
                        + percent((double) lost / count) + "), max_loss " + percent(spec.maxLossRatio())
                        + (failures.isEmpty() ? "" : "; " + failures.get(0).detail()));
            } else {
                end(Outcome.OK, "");
            }
        }

        private void end(Outcome outcome, String detail) {
            if (run.done()) {
                return;
            }
            if (conclusion != null) {
                conclusion.cancel(false);
            }
            handles.forEach(EchoHandle::cancel);
            facts();
            run.finish(outcome, detail);
        }

        /** blackbox_exporter's ICMP facts, and Vigil's counts and round-trip figures. */
        private void facts() {
            run.fact(phase("resolve", resolvedNanos - begunNanos));
            run.fact(phase("setup", firstSentNanos == Sample.NOT_MEASURED ? 0 : firstSentNanos - resolvedNanos));
            run.fact(phase("rtt", Math.max(0, firstRoundTripNanos)));
            if (hopLimit >= 0) {
                run.fact(ProbeFact.of("probe_icmp_reply_hop_limit", hopLimit));
            }
            run.fact(ProbeFact.of("probe_icmp_packets_sent", sent));
            run.fact(ProbeFact.of("probe_icmp_packets_received", roundTrips.size()));
            run.fact(ProbeFact.of("probe_icmp_packet_loss_ratio", (double) (spec.count() - roundTrips.size()) / spec.count()));
            if (!roundTrips.isEmpty()) {
                long min = Long.MAX_VALUE;
                long max = 0;
                long sum = 0;
                for (long nanos : roundTrips) {
                    min = Math.min(min, nanos);
                    max = Math.max(max, nanos);
                    sum += nanos;
                }
                run.fact(ProbeFact.of("probe_icmp_rtt_seconds", "stat", "min", seconds(min)));
                run.fact(ProbeFact.of("probe_icmp_rtt_seconds", "stat", "avg", seconds(sum / (double) roundTrips.size())));
                run.fact(ProbeFact.of("probe_icmp_rtt_seconds", "stat", "max", seconds(max)));
            }
        }

        /** The result as the run ended, with the first reply's round trip as its first-byte time. */
        ProbeResult withRoundTrip(ProbeResult result) {
            if (firstRoundTripNanos == Sample.NOT_MEASURED) {
                return result;
            }
            return new ProbeResult(result.outcome(), result.dnsNanos(), result.connectNanos(), result.tlsNanos(),
                    firstRoundTripNanos, result.totalNanos(), result.statusCode(), result.detail(), result.facts(),
                    result.evidence());
        }

        private String target() {
            String address = NetUtil.toAddressString(destination);
            return NetUtil.isValidIpV4Address(spec.host()) || NetUtil.isValidIpV6Address(spec.host())
                    ? address : spec.host() + " (" + address + ")";
        }
    }

    private static ProbeFact phase(String phase, long nanos) {
        return ProbeFact.of("probe_icmp_duration_seconds", "phase", phase, seconds(nanos));
    }

    private static double seconds(double nanos) {
        return nanos / 1e9;
    }

    /** {@code 0.4} as {@code 40%}, {@code 1/3} as {@code 33.3%}. */
    static String percent(double ratio) {
        return BigDecimal.valueOf(ratio).movePointRight(2).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + "%";
    }
}
