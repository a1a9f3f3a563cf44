package dev.vigil.agent.probe;

import static dev.vigil.agent.icmp.FakeKernel.frames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.agent.icmp.FakeKernel;
import dev.vigil.agent.icmp.IcmpSockets;
import dev.vigil.agent.icmp.SocketMode;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IcmpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A TEST-NET address: only the fake kernel ever sees it. */
    private static final String FAR = "192.0.2.10";
    private static final InetAddress ROUTER = NetUtil.createInetAddressFromIpAddressString("198.51.100.1");
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(null);

    @Test
    void getsEveryReplyFromIpv4LoopbackAndReportsTheRoundTrips() throws Exception {
        ProbeResult result = harness.run(IcmpProbeSpec.echo("127.0.0.1").withSpacing(Duration.ofMillis(10)), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.detail()).isEmpty();
        assertThat(result.dnsNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.firstByteNanos()).as("the first reply's round trip").isPositive()
                .isLessThan(result.totalNanos());
        assertThat(result.totalNanos()).as("ends with the last reply, not at the deadline")
                .isLessThan(TIMEOUT.toNanos());
        assertThat(fact(result, "probe_icmp_packets_sent")).isEqualTo(3);
        assertThat(fact(result, "probe_icmp_packets_received")).isEqualTo(3);
        assertThat(fact(result, "probe_icmp_packet_loss_ratio")).isZero();
        assertThat(fact(result, "probe_icmp_reply_hop_limit")).isEqualTo(64);
        assertThat(fact(result, "probe_ip_protocol")).isEqualTo(4);
        assertThat(fact(result, "probe_icmp_duration_seconds", "phase", "rtt"))
                .isEqualTo(result.firstByteNanos() / 1e9);
        assertThat(fact(result, "probe_icmp_duration_seconds", "phase", "setup")).isPositive();
        assertThat(fact(result, "probe_icmp_duration_seconds", "phase", "resolve")).isGreaterThanOrEqualTo(0);
        double min = fact(result, "probe_icmp_rtt_seconds", "stat", "min");
        assertThat(min).isPositive().isLessThanOrEqualTo(fact(result, "probe_icmp_rtt_seconds", "stat", "avg"));
        assertThat(fact(result, "probe_icmp_rtt_seconds", "stat", "avg"))
                .isLessThanOrEqualTo(fact(result, "probe_icmp_rtt_seconds", "stat", "max"));
    }

    @Test
    void getsEveryReplyFromIpv6Loopback() throws Exception {
        ProbeResult result = harness.run(IcmpProbeSpec.echo("::1").withCount(2), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(fact(result, "probe_ip_protocol")).isEqualTo(6);
        assertThat(fact(result, "probe_icmp_packets_received")).isEqualTo(2);
        assertThat(fact(result, "probe_icmp_reply_hop_limit")).isEqualTo(64);
    }

    @Test
    void resolvesANameFirstAndTimesTheLookup() throws Exception {
        ProbeResult result = harness.run(IcmpProbeSpec.echo("web.test").withCount(1), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
        assertThat(fact(result, "probe_icmp_duration_seconds", "phase", "resolve")).isPositive();
    }

    @Test
    void reportsDnsFailedForAnUnknownName() throws Exception {
        ProbeResult result = harness.run(IcmpProbeSpec.echo("nothing.test"), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.DNS_FAILED);
        assertThat(result.detail()).startsWith("DNS lookup of nothing.test failed");
    }

    @Test
    void sendsLargeUnfragmentedRequestsWithATtlOfOneToLoopback() throws Exception {
        IcmpProbeSpec spec = IcmpProbeSpec.echo("127.0.0.1").withCount(2).withTtl(1).withDontFragment(true)
                .withPayloadBytes(65_000);

        ProbeResult result = harness.run(spec, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(fact(result, "probe_icmp_packets_received")).isEqualTo(2);
    }

    @Test
    void reportsPacketLossBeyondMaxLoss() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW)
                .respond(sent -> sent.index == 1 || sent.index == 3 ? frames() : frames(sent.reply()));
        IcmpProbeSpec spec = IcmpProbeSpec.echo(FAR).withCount(5).withSpacing(Duration.ofMillis(10)).withMaxLoss(0.2);

        ProbeResult result = runFaked(kernel, spec, Duration.ofMillis(500));

        assertThat(result.outcome()).isEqualTo(Outcome.PACKET_LOSS);
        assertThat(result.detail()).isEqualTo("2 of 5 echo replies from 192.0.2.10 lost (40%), max_loss 20%");
        assertThat(result.firstByteNanos()).isPositive();
        assertThat(fact(result, "probe_icmp_packets_sent")).isEqualTo(5);
        assertThat(fact(result, "probe_icmp_packets_received")).isEqualTo(3);
        assertThat(fact(result, "probe_icmp_packet_loss_ratio")).isEqualTo(0.4);
    }

    @Test
    void acceptsLossWithinMaxLoss() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW)
                .respond(sent -> sent.index == 0 ? frames() : frames(sent.reply()));

        // Long enough for the two answered echoes to be read on a busy machine; the lost one ends the run.
        ProbeResult result = runFaked(kernel, IcmpProbeSpec.echo(FAR).withSpacing(Duration.ofMillis(10)),
                Duration.ofMillis(1_500));

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(fact(result, "probe_icmp_packets_received")).isEqualTo(2);
        assertThat(fact(result, "probe_icmp_packet_loss_ratio")).isEqualTo(1 / 3.0);
    }

    @Test
    void timesOutWhenNoReplyComes() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW).respond(sent -> frames());

        ProbeResult result = runFaked(kernel, IcmpProbeSpec.echo(FAR).withSpacing(Duration.ofMillis(10)),
                Duration.ofMillis(300));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.detail()).isEqualTo("no echo reply from 192.0.2.10 within 300ms (3 of 3 requests sent)");
        assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(fact(result, "probe_icmp_packets_received")).isZero();
        assertThat(fact(result, "probe_icmp_duration_seconds", "phase", "rtt")).isZero();
    }

    @Test
    void reportsDestinationUnreachableFromARouter() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.RAW)
                .respond(sent -> frames(sent.error(3, 0, ROUTER)));

        ProbeResult result = runFaked(kernel, IcmpProbeSpec.echo(FAR).withCount(1), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.NETWORK_UNREACHABLE);
        assertThat(result.detail()).isEqualTo("192.0.2.10 unreachable: network unreachable, reported by 198.51.100.1");
        assertThat(result.totalNanos()).as("ends with the error, not at the deadline").isLessThan(TIMEOUT.toNanos());
    }

    @Test
    void reportsTtlExceededNamingTheRouterForEveryRequest() throws Exception {
        FakeKernel kernel = FakeKernel.permitting(SocketMode.DATAGRAM)
                .respond(sent -> frames(sent.error(11, 0, ROUTER)));
        IcmpProbeSpec spec = IcmpProbeSpec.echo(FAR).withSpacing(Duration.ofMillis(10)).withTtl(2);

        ProbeResult result = runFaked(kernel, spec, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.NETWORK_UNREACHABLE);
        assertThat(result.detail()).isEqualTo(
                "TTL exceeded in transit at router 198.51.100.1 on the way to 192.0.2.10 (ttl 2); 3 of 3 requests failed");
        assertThat(kernel.sent()).extracting(sent -> sent.ttl).containsExactly(2, 2, 2);
    }

    @Test
    void reportsNotPermittedNamingTheFix() throws Exception {
        ProbeResult result = runFaked(FakeKernel.permitting(), IcmpProbeSpec.echo(FAR), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_PERMITTED);
        assertThat(result.detail()).startsWith("ICMP echo is not permitted for this agent: ")
                .contains("CAP_NET_RAW", "net.ipv4.ping_group_range");
    }

    @Test
    void theFactoryBuildsAnIcmpProbeForAnIcmpCheck() {
        CheckConfig check = new CheckConfig("ping", Duration.ofSeconds(10), TIMEOUT, IcmpProbeSpec.echo("::1"));

        try (ProbeFactory factory = ProbeFactory.withSystemDefaults(harness.group)) {
            assertThat(factory.create(check)).isInstanceOf(IcmpProbe.class);
        }
    }

    @Test
    void formatsSharesAsShortPercentages() {
        assertThat(List.of(0.4, 1 / 3.0, 0.34, 0.125, 1.0)).extracting(IcmpProbe::percent)
                .containsExactly("40%", "33.3%", "34%", "12.5%", "100%");
    }

    private static ProbeResult runFaked(FakeKernel kernel, IcmpProbeSpec spec, Duration timeout) throws Exception {
        CheckConfig check = new CheckConfig("ping", timeout.multipliedBy(2), timeout, spec);
        try (IcmpSockets sockets = IcmpSockets.using(kernel, SocketMode.DATAGRAM, SocketMode.RAW);
                ProbeFactory factory = ProbeFactory.withSystemDefaults(harness.group)) {
            IcmpProbe probe = new IcmpProbe(check, spec, factory.resolver(NetworkSettings.DEFAULT), sockets);
            return probe.run(harness.group.next()).toCompletableFuture()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
    }

    private static double fact(ProbeResult result, String name) {
        return fact(result, name, Map.of());
    }

    private static double fact(ProbeResult result, String name, String label, String value) {
        return fact(result, name, Map.of(label, value));
    }

    private static double fact(ProbeResult result, String name, Map<String, String> labels) {
        return result.facts().stream()
                .filter(fact -> fact.name().equals(name) && fact.labels().equals(labels))
                .mapToDouble(ProbeFact::value)
                .reduce((first, second) -> {
                    throw new AssertionError("fact " + name + labels + " appears twice");
                })
                .orElseThrow(() -> new AssertionError("no fact " + name + labels + " in " + result.facts()));
    }
}
