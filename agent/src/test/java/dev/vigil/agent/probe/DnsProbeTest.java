package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.DnsRcode;
import dev.vigil.config.check.DnsRecordChecks;
import dev.vigil.config.check.DnsRecordType;
import dev.vigil.config.check.DnsTransport;
import dev.vigil.config.check.IpFamily;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.dns.ClosedUdpPort;
import dev.vigil.testsupport.dns.ScriptedDnsTarget;
import dev.vigil.testsupport.dns.ScriptedRecord;
import dev.vigil.testsupport.dns.ScriptedReply;
import dev.vigil.testsupport.target.ClosedPort;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DnsProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    // The server is scripted with Netty's record types, the probe configured with Vigil's.
    private static final io.netty.handler.codec.dns.DnsRecordType A = io.netty.handler.codec.dns.DnsRecordType.A;
    private static final io.netty.handler.codec.dns.DnsRecordType AAAA = io.netty.handler.codec.dns.DnsRecordType.AAAA;
    private static final io.netty.handler.codec.dns.DnsRecordType MX = io.netty.handler.codec.dns.DnsRecordType.MX;
    private static final io.netty.handler.codec.dns.DnsRecordType NS = io.netty.handler.codec.dns.DnsRecordType.NS;
    private static final io.netty.handler.codec.dns.DnsRecordType SOA = io.netty.handler.codec.dns.DnsRecordType.SOA;
    private static final io.netty.handler.codec.dns.DnsRecordType TXT = io.netty.handler.codec.dns.DnsRecordType.TXT;

    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(null);
    private ScriptedDnsTarget server;

    @BeforeEach
    void startServer() {
        server = ScriptedDnsTarget.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    // --- Answers ---

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void succeedsWithAnAnswerAndMeasuresThePhasesOfItsTransport(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1")));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(result.detail()).isEmpty();
        assertThat(result.statusCode()).as("the rcode, NOERROR").isZero();
        assertThat(result.dnsNanos()).as("an IP literal needs no lookup").isEqualTo(Sample.NOT_MEASURED);
        if (transport == DnsTransport.TCP) {
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(result.connectNanos()).as("UDP has no handshake").isEqualTo(Sample.NOT_MEASURED);
        }
        assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(result.totalNanos());
        assertThat(server.queries()).singleElement().satisfies(query -> {
            assertThat(query.transport()).isEqualTo(transport.name().toLowerCase(Locale.ROOT));
            assertThat(query.name()).isEqualTo("example.test");
            assertThat(query.type()).isEqualTo(A);
            assertThat(query.recursionDesired()).isTrue();
        });
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsBlackboxFactsOfASuccessfulQuery(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(
                        ScriptedRecord.a("example.test", 300, "192.0.2.1"),
                        ScriptedRecord.a("example.test", 300, "192.0.2.2"))
                .authority(ScriptedRecord.ns("example.test", 3600, "ns1.example.test"))
                .additional(ScriptedRecord.a("ns1.example.test", 3600, "192.0.2.53"),
                        ScriptedRecord.aaaa("ns1.example.test", 3600, "2001:db8::53"),
                        ScriptedRecord.txt("ns1.example.test", 60, "hello")));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        Map<String, Double> facts = facts(result);
        assertThat(facts).containsEntry("probe_dns_answer_rrs", 2.0)
                .containsEntry("probe_dns_authority_rrs", 1.0)
                .containsEntry("probe_dns_additional_rrs", 3.0)
                .containsEntry("probe_dns_query_succeeded", 1.0)
                .containsEntry("probe_dns_truncated", 0.0)
                .containsEntry("probe_dns_duration_seconds{phase=resolve}", 0.0)
                .containsEntry("probe_dns_duration_seconds{phase=request}", result.firstByteNanos() / 1e9)
                .containsEntry("probe_ip_protocol", 4.0)
                .doesNotContainKey("probe_dns_serial");
        assertThat(facts.get("probe_dns_duration_seconds{phase=connect}")).isEqualTo(
                transport == DnsTransport.TCP ? result.connectNanos() / 1e9 : 0.0);
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void readsAResponseLargerThanAUsualDatagramWhole(DnsTransport transport) throws Exception {
        String[] strings = new String[40];
        Arrays.fill(strings, "x".repeat(200));
        server.on("big.test", TXT, ScriptedReply.answer(ScriptedRecord.txt("big.test", 300, strings),
                ScriptedRecord.txt("big.test", 300, "last")));

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "big.test", DnsRecordType.TXT)
                .withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(facts(result)).containsEntry("probe_dns_answer_rrs", 2.0);
    }

    @Test
    void sendsTheRecursionDesiredBitAsConfigured() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1")));

        ProbeResult result = run(query("example.test").withRecursionDesired(false));

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(server.queries()).singleElement().satisfies(query ->
                assertThat(query.recursionDesired()).isFalse());
    }

    @Test
    void asksForTheConfiguredType() throws Exception {
        server.on("example.test", MX,
                ScriptedReply.answer(ScriptedRecord.mx("example.test", 300, 10, "mail.example.test")));

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "example.test", DnsRecordType.MX));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(facts(result)).containsEntry("probe_dns_answer_rrs", 1.0);
        assertThat(server.queries()).singleElement().satisfies(query ->
                assertThat(query.type()).isEqualTo(MX));
    }

    @Test
    void asksAboutTheRoot() throws Exception {
        server.on(".", NS,
                ScriptedReply.answer(ScriptedRecord.ns(".", 518400, "a.root-servers.test")));

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), ".", DnsRecordType.NS)
                .withChecks(checks(List.of(), List.of("^\\.\t518400\tIN\tNS\ta\\.root-servers\\.test\\.$"), List.of(),
                        List.of()), DnsRecordChecks.NONE, DnsRecordChecks.NONE));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
    }

    @Test
    void asksAboutAnInternationalNameInItsAsciiForm() throws Exception {
        server.on("xn--bcher-kva.test", A,
                ScriptedReply.answer(ScriptedRecord.a("xn--bcher-kva.test", 300, "192.0.2.1")));

        ProbeResult result = run(query("bücher.test"));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(server.queries()).singleElement().satisfies(query ->
                assertThat(query.name()).isEqualTo("xn--bcher-kva.test"));
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsTheSerialOfTheSoaInTheAnswer(DnsTransport transport) throws Exception {
        server.on("example.test", SOA, ScriptedReply.answer(
                ScriptedRecord.soa("example.test", 3600, "ns1.example.test", "hostmaster.example.test", 4_000_000_001L,
                        7200, 3600, 1_209_600, 300)));

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "example.test", DnsRecordType.SOA)
                .withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(facts(result)).containsEntry("probe_dns_serial", 4_000_000_001.0);
    }

    @Test
    void reportsSerialZeroForAnSoaQueryAnsweredWithoutAnSoa() throws Exception {
        server.on("example.test", SOA, ScriptedReply.answer());

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "example.test", DnsRecordType.SOA));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(facts(result)).containsEntry("probe_dns_serial", 0.0).containsEntry("probe_dns_answer_rrs", 0.0);
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void resolvesTheServerNameAndTimesTheLookupAsTheDnsPhase(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1")));

        ProbeResult result = run(DnsProbeSpec.query("web.test", server.port(), "example.test", DnsRecordType.A)
                .withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
        assertThat(facts(result)).containsEntry("probe_dns_duration_seconds{phase=resolve}", result.dnsNanos() / 1e9);
        assertThat(harness.dns.questions()).contains("web.test");
    }

    @Test
    void reportsDnsFailedWhenTheServerNameDoesNotResolve() throws Exception {
        ProbeResult result = run(DnsProbeSpec.query("nowhere.test", server.port(), "example.test", DnsRecordType.A));

        assertThat(result.outcome()).isEqualTo(Outcome.DNS_FAILED);
        assertThat(result.detail()).startsWith("DNS lookup of nowhere.test failed");
        assertThat(facts(result)).containsEntry("probe_dns_query_succeeded", 0.0);
        assertThat(server.queries()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void sendsFromTheConfiguredSourceAddress(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1")));
        NetworkSettings network = new NetworkSettings(IpFamily.IPV4, true,
                Optional.of(InetAddress.getByName("127.0.0.1")), List.of());

        ProbeResult result = run(query("example.test").withTransport(transport).withNetwork(network));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsNetworkUnreachableWhenTheSourceAddressIsNotOurs(DnsTransport transport) throws Exception {
        NetworkSettings network = new NetworkSettings(IpFamily.IPV4, true,
                Optional.of(InetAddress.getByName("192.0.2.1")), List.of());

        ProbeResult result = run(query("example.test").withTransport(transport).withNetwork(network));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.NETWORK_UNREACHABLE);
        assertThat(result.detail()).startsWith("cannot reach 127.0.0.1:" + server.port() + ": ");
        assertThat(server.queries()).isEmpty();
    }

    // --- No answer, refused ---

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsTimeoutWhenNoAnswerComesWithinTheDeadline(DnsTransport transport) throws Exception {
        server.on("silent.test", A, ScriptedReply.silence());

        ProbeResult result = harness.run(query("silent.test").withTransport(transport), SHORT_TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.detail())
                .isEqualTo("no answer from 127.0.0.1:" + server.port() + " to A silent.test within 300ms");
        assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.statusCode()).isZero();
        assertThat(facts(result)).containsEntry("probe_dns_query_succeeded", 0.0)
                .containsEntry("probe_dns_answer_rrs", 0.0)
                .containsEntry("probe_dns_authority_rrs", 0.0)
                .containsEntry("probe_dns_additional_rrs", 0.0)
                .containsEntry("probe_dns_duration_seconds{phase=request}", 0.0)
                .containsKeys("probe_dns_duration_seconds{phase=resolve}", "probe_dns_duration_seconds{phase=connect}");
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void waitsForADelayedAnswerAndCountsTheDelayInTheRequestPhase(DnsTransport transport) throws Exception {
        Duration delay = Duration.ofMillis(150);
        server.on("slow.test", A,
                ScriptedReply.answer(ScriptedRecord.a("slow.test", 300, "192.0.2.1")).delayedBy(delay));

        ProbeResult result = run(query("slow.test").withTransport(transport));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(delay.toNanos());
    }

    @Test
    void reportsConnectRefusedWhenTheUdpPortAnswersWithPortUnreachable() throws Exception {
        int port = ClosedUdpPort.find();

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", port, "example.test", DnsRecordType.A));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(result.detail()).isEqualTo("nothing listens on UDP 127.0.0.1:" + port + " (ICMP port unreachable)");
    }

    @Test
    void reportsConnectRefusedWhenTheTcpPortIsClosed() throws Exception {
        int port = ClosedPort.find();

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", port, "example.test", DnsRecordType.A)
                .withTransport(DnsTransport.TCP));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(result.detail()).isEqualTo("connection to 127.0.0.1:" + port + " refused");
    }

    @Test
    void reportsConnectionResetWhenTheTcpServerHangsUpWithoutAnAnswer() throws Exception {
        server.on("example.test", A, ScriptedReply.hangUp());

        ProbeResult result = run(query("example.test").withTransport(DnsTransport.TCP));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECTION_RESET);
        assertThat(result.detail()).isEqualTo("connection to 127.0.0.1:" + server.port()
                + " closed before an answer to A example.test");
    }

    // --- Response codes ---

    static Stream<Arguments> failingRcodes() {
        return Stream.of(
                Arguments.of(DnsTransport.UDP, DnsResponseCode.NXDOMAIN, "NXDOMAIN"),
                Arguments.of(DnsTransport.TCP, DnsResponseCode.NXDOMAIN, "NXDOMAIN"),
                Arguments.of(DnsTransport.UDP, DnsResponseCode.SERVFAIL, "SERVFAIL"),
                Arguments.of(DnsTransport.TCP, DnsResponseCode.SERVFAIL, "SERVFAIL"),
                Arguments.of(DnsTransport.UDP, DnsResponseCode.REFUSED, "REFUSED"),
                Arguments.of(DnsTransport.UDP, DnsResponseCode.valueOf(11), "11"));
    }

    @ParameterizedTest
    @MethodSource("failingRcodes")
    void reportsStatusMismatchNamingAnRcodeThatIsNotValid(DnsTransport transport, DnsResponseCode code, String name)
            throws Exception {
        server.on("example.test", A, ScriptedReply.rcode(code));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
        assertThat(result.detail()).isEqualTo("rcode " + name + " from 127.0.0.1:" + server.port()
                + " to A example.test, expected NOERROR");
        assertThat(result.statusCode()).isEqualTo(code.intValue());
        assertThat(facts(result)).as("the query itself succeeded").containsEntry("probe_dns_query_succeeded", 1.0);
    }

    @Test
    void acceptsEveryRcodeListedAsValid() throws Exception {
        server.on("gone.test", A, ScriptedReply.rcode(DnsResponseCode.NXDOMAIN)
                .authority(ScriptedRecord.soa("test", 300, "ns1.test", "hostmaster.test", 7, 1, 1, 1, 1)));

        ProbeResult result = run(query("gone.test").withValidRcodes(Set.of(DnsRcode.NOERROR, DnsRcode.NXDOMAIN)));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(result.statusCode()).isEqualTo(3);
        assertThat(facts(result)).containsEntry("probe_dns_authority_rrs", 1.0)
                .as("blackbox_exporter reads the serial from the answer only").doesNotContainKey("probe_dns_serial");
    }

    @Test
    void namesEveryValidRcodeWhenNoneMatches() throws Exception {
        server.on("example.test", A, ScriptedReply.answer());

        ProbeResult result = run(query("example.test").withValidRcodes(Set.of(DnsRcode.NXDOMAIN, DnsRcode.SERVFAIL)));

        assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
        assertThat(result.detail()).endsWith("expected SERVFAIL or NXDOMAIN");
    }

    // --- Misbehaving servers ---

    @Test
    void ignoresAUdpResponseWithAWrongIdAndTakesTheRightOne() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"))
                .afterOneWithAWrongId());

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
    }

    @Test
    void reportsTimeoutNamingTheIgnoredUdpResponsesWhenOnlyWrongIdsCome() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"))
                .withWrongId());

        ProbeResult result = harness.run(query("example.test"), SHORT_TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.detail()).isEqualTo("no answer from 127.0.0.1:" + server.port()
                + " to A example.test within 300ms (ignored 1 response with a wrong id)");
    }

    @Test
    void reportsProtocolErrorForATcpResponseWithAWrongId() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"))
                .withWrongId());

        ProbeResult result = run(query("example.test").withTransport(DnsTransport.TCP));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        int id = server.queries().get(0).id();
        assertThat(result.detail()).isEqualTo("answer from 127.0.0.1:" + server.port() + " has id "
                + ((id + 1) & 0xffff) + ", not the query's " + id);
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsProtocolErrorForBytesThatAreNotDns(DnsTransport transport) throws Exception {
        server.on("example.test", A,
                ScriptedReply.garbage("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII)));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).startsWith("not a valid DNS response from 127.0.0.1:" + server.port() + ": ");
        assertThat(facts(result)).containsEntry("probe_dns_query_succeeded", 0.0);
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsProtocolErrorForAnAnswerToAnotherQuestion(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("other.test", 300, "192.0.2.1"))
                .forQuestion("other.test", AAAA));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).isEqualTo("answer from 127.0.0.1:" + server.port()
                + " is for AAAA other.test., not the query's A example.test");
    }

    @Test
    void acceptsAnErrorResponseWithoutAQuestionSection() throws Exception {
        server.on("example.test", A, ScriptedReply.rcode(DnsResponseCode.REFUSED).withoutQuestion());

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
        assertThat(result.detail()).startsWith("rcode REFUSED from");
    }

    @Test
    void reportsProtocolErrorForAnAnswerWithoutAQuestionSection() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"))
                .withoutQuestion());

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).isEqualTo("answer from 127.0.0.1:" + server.port()
                + " to A example.test holds 0 questions, not 1");
    }

    @ParameterizedTest
    @EnumSource(DnsTransport.class)
    void reportsProtocolErrorForAMessageCutShortWithoutTheTcBit(DnsTransport transport) throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"),
                ScriptedRecord.a("example.test", 300, "192.0.2.2")).cutBy(2));

        ProbeResult result = run(query("example.test").withTransport(transport));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).isEqualTo("answer from 127.0.0.1:" + server.port()
                + " to A example.test ends before the records its header announces, and its TC bit is not set");
    }

    @Test
    void checksWhatArrivedOfATruncatedAnswerAndReportsTheTruncation() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"),
                ScriptedRecord.a("example.test", 300, "192.0.2.2")).cutBy(2).truncated());

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        assertThat(facts(result)).containsEntry("probe_dns_truncated", 1.0).containsEntry("probe_dns_answer_rrs", 1.0);
        assertThat(server.queries()).as("no retry over TCP").hasSize(1);
    }

    @Test
    void namesTheTruncationInTheDetailOfAFailure() throws Exception {
        server.on("big.test", TXT, ScriptedReply.answer().truncated());

        ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "big.test", DnsRecordType.TXT)
                .withChecks(checks(List.of(), List.of("v=spf1"), List.of(), List.of()), DnsRecordChecks.NONE,
                        DnsRecordChecks.NONE));

        assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
        assertThat(result.detail()).isEqualTo("no answer records, but fail_if_not_matches requires every record"
                + " to match 'v=spf1' (the answer was truncated: TC bit set)");
        assertThat(facts(result)).containsEntry("probe_dns_truncated", 1.0);
    }

    @Test
    void reportsProtocolErrorForRecordDataThatDoesNotFitItsType() throws Exception {
        server.on("example.test", A,
                ScriptedReply.answer(ScriptedRecord.raw("example.test", 1, 300, new byte[] {1, 2, 3})));

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).isEqualTo("not a valid DNS response from 127.0.0.1:" + server.port()
                + ": A record of example.test. has 3 bytes of data, not 4");
    }

    @Test
    void reportsProtocolErrorForANameRunningPastItsRecordData() throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.raw("example.test", 2, 300,
                new byte[] {5, 'a', 'b'})));

        ProbeResult result = run(query("example.test"));

        assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(result.detail()).startsWith("not a valid DNS response from 127.0.0.1:" + server.port() + ": ");
    }

    // --- Presentation form ---

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(ScriptedRecord.a("a.test", 300, "192.0.2.1"), "a.test.\t300\tIN\tA\t192.0.2.1"),
                Arguments.of(ScriptedRecord.aaaa("a.test", 300, "2001:db8:0:0:0:0:0:1"),
                        "a.test.\t300\tIN\tAAAA\t2001:db8::1"),
                Arguments.of(ScriptedRecord.aaaa("a.test", 300, "::ffff:192.0.2.1"),
                        "a.test.\t300\tIN\tAAAA\t::ffff:192.0.2.1"),
                Arguments.of(ScriptedRecord.cname("www.a.test", 60, "a.test"), "www.a.test.\t60\tIN\tCNAME\ta.test."),
                Arguments.of(ScriptedRecord.ns("a.test", 3600, "ns1.a.test"), "a.test.\t3600\tIN\tNS\tns1.a.test."),
                Arguments.of(ScriptedRecord.ptr("1.2.0.192.in-addr.arpa", 300, "host.a.test"),
                        "1.2.0.192.in-addr.arpa.\t300\tIN\tPTR\thost.a.test."),
                Arguments.of(ScriptedRecord.mx("a.test", 300, 10, "mail.a.test"),
                        "a.test.\t300\tIN\tMX\t10 mail.a.test."),
                Arguments.of(ScriptedRecord.txt("a.test", 300, "v=spf1 -all", "say \"hi\" \\o/", "tab\there"),
                        "a.test.\t300\tIN\tTXT\t\"v=spf1 -all\" \"say \\\"hi\\\" \\\\o/\" \"tab\\009here\""),
                Arguments.of(ScriptedRecord.soa("a.test", 3600, "ns1.a.test", "hostmaster.a.test", 2024010101L, 7200,
                        3600, 1209600, 300),
                        "a.test.\t3600\tIN\tSOA\tns1.a.test. hostmaster.a.test. 2024010101 7200 3600 1209600 300"),
                Arguments.of(ScriptedRecord.srv("_sip._tcp.a.test", 300, 10, 60, 5060, "sip.a.test"),
                        "_sip._tcp.a.test.\t300\tIN\tSRV\t10 60 5060 sip.a.test."),
                Arguments.of(ScriptedRecord.raw("a.test", 257, 300, new byte[] {0, 1, (byte) 0xab}),
                        "a.test.\t300\tCLASS1\tTYPE257\t\\# 3 0001ab"),
                Arguments.of(ScriptedRecord.txt("a.test", 0, "chaos").inClass(3), "a.test.\t0\tCH\tTXT\t\"chaos\""),
                Arguments.of(ScriptedRecord.a("a.test", 4_294_967_295L, "192.0.2.1"),
                        "a.test.\t4294967295\tIN\tA\t192.0.2.1"));
    }

    @ParameterizedTest
    @MethodSource("records")
    void writesEachRecordInPresentationFormWithCompressedNamesExpanded(ScriptedRecord record, String text)
            throws Exception {
        server.on("a.test", A, ScriptedReply.answer(record));

        ProbeResult result = run(query("a.test").withChecks(checks(List.of("^"), List.of(), List.of(), List.of()),
                DnsRecordChecks.NONE, DnsRecordChecks.NONE));

        assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
        assertThat(result.detail()).isEqualTo("answer record '" + text + "' matches fail_if_matches '^'");
    }

    @ParameterizedTest
    @MethodSource("records")
    void matchesPatternsAgainstThePresentationForm(ScriptedRecord record, String text) throws Exception {
        server.on("a.test", A, ScriptedReply.answer(record));

        ProbeResult result = run(query("a.test").withChecks(
                checks(List.of(), List.of("^" + Pattern.quote(text) + "$"), List.of(), List.of()),
                DnsRecordChecks.NONE, DnsRecordChecks.NONE));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
    }

    // --- Record checks ---

    private void scriptTwoAnswers() {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1"),
                        ScriptedRecord.a("example.test", 300, "198.51.100.7"))
                .authority(ScriptedRecord.ns("example.test", 3600, "ns1.example.test"))
                .additional(ScriptedRecord.a("ns1.example.test", 3600, "192.0.2.53")));
    }

    static Stream<Arguments> sectionChecks() {
        List<String> none = List.of();
        return Stream.of(
                // fail_if_matches: any record matching any pattern fails
                Arguments.of("answer", checks(List.of("198\\.51\\."), none, none, none), Outcome.ASSERTION_FAILED,
                        "answer record 'example.test.\t300\tIN\tA\t198.51.100.7' matches fail_if_matches"
                                + " '198\\.51\\.'"),
                Arguments.of("answer", checks(List.of("203\\.0\\.113\\."), none, none, none), Outcome.OK, ""),
                // fail_if_not_matches: every record must match every pattern
                Arguments.of("answer", checks(none, List.of("192\\.0\\.2\\."), none, none), Outcome.ASSERTION_FAILED,
                        "answer record 'example.test.\t300\tIN\tA\t198.51.100.7' does not match fail_if_not_matches"
                                + " '192\\.0\\.2\\.'"),
                Arguments.of("answer", checks(none, List.of("\tIN\tA\t", "^example"), none, none), Outcome.OK, ""),
                // fail_if_all_match: blackbox_exporter fails unless every record matches
                Arguments.of("answer", checks(none, none, List.of("192\\.0\\.2\\."), none), Outcome.ASSERTION_FAILED,
                        "answer record 'example.test.\t300\tIN\tA\t198.51.100.7' does not match fail_if_all_match"
                                + " '192\\.0\\.2\\.', which every record must match"),
                Arguments.of("answer", checks(none, none, List.of("\tA\t"), none), Outcome.OK, ""),
                // fail_if_none_matches: at least one record must match
                Arguments.of("answer", checks(none, none, none, List.of("203\\.0\\.113\\.")), Outcome.ASSERTION_FAILED,
                        "no answer record matches fail_if_none_matches '203\\.0\\.113\\.'; records:"
                                + " 'example.test.\t300\tIN\tA\t192.0.2.1', 'example.test.\t300\tIN\tA\t198.51.100.7'"),
                Arguments.of("answer", checks(none, none, none, List.of("203\\.0\\.113\\.", "198\\.51\\.")),
                        Outcome.OK, ""),
                // the other sections
                Arguments.of("authority", checks(List.of("ns1"), none, none, none), Outcome.ASSERTION_FAILED,
                        "authority record 'example.test.\t3600\tIN\tNS\tns1.example.test.' matches"
                                + " fail_if_matches 'ns1'"),
                Arguments.of("authority", checks(none, List.of("\tNS\t"), none, none), Outcome.OK, ""),
                Arguments.of("additional", checks(none, none, none, List.of("AAAA")), Outcome.ASSERTION_FAILED,
                        "no additional record matches fail_if_none_matches 'AAAA'; records:"
                                + " 'ns1.example.test.\t3600\tIN\tA\t192.0.2.53'"),
                Arguments.of("additional", checks(none, List.of("192\\.0\\.2\\.53$"), none, none), Outcome.OK, ""));
    }

    @ParameterizedTest
    @MethodSource("sectionChecks")
    void appliesEachKindOfRecordCheckToItsSection(String section, DnsRecordChecks checks, Outcome outcome,
            String detail) throws Exception {
        scriptTwoAnswers();
        DnsProbeSpec spec = switch (section) {
            case "answer" -> query("example.test").withChecks(checks, DnsRecordChecks.NONE, DnsRecordChecks.NONE);
            case "authority" -> query("example.test").withChecks(DnsRecordChecks.NONE, checks, DnsRecordChecks.NONE);
            default -> query("example.test").withChecks(DnsRecordChecks.NONE, DnsRecordChecks.NONE, checks);
        };

        ProbeResult result = run(spec);

        assertThat(result.outcome()).as(result.detail()).isEqualTo(outcome);
        assertThat(result.detail()).isEqualTo(detail);
    }

    static Stream<Arguments> emptySectionChecks() {
        List<String> none = List.of();
        return Stream.of(
                Arguments.of(checks(List.of("x"), none, none, none), Outcome.OK, ""),
                Arguments.of(checks(none, List.of("x"), none, none), Outcome.ASSERTION_FAILED,
                        "no authority records, but fail_if_not_matches requires every record to match 'x'"),
                Arguments.of(checks(none, List.of("x", "y"), none, none), Outcome.ASSERTION_FAILED,
                        "no authority records, but fail_if_not_matches requires every record to match 'x' and 'y'"),
                Arguments.of(checks(none, none, List.of("x"), none), Outcome.OK, ""),
                Arguments.of(checks(none, none, none, List.of("x", "y")), Outcome.ASSERTION_FAILED,
                        "no authority records, but fail_if_none_matches requires one to match 'x' or 'y'"));
    }

    @ParameterizedTest
    @MethodSource("emptySectionChecks")
    void treatsAnEmptySectionAsBlackboxExporterDoes(DnsRecordChecks checks, Outcome outcome, String detail)
            throws Exception {
        server.on("example.test", A, ScriptedReply.answer(ScriptedRecord.a("example.test", 300, "192.0.2.1")));

        ProbeResult result = run(query("example.test").withChecks(DnsRecordChecks.NONE, checks, DnsRecordChecks.NONE));

        assertThat(result.outcome()).as(result.detail()).isEqualTo(outcome);
        assertThat(result.detail()).isEqualTo(detail);
    }

    @Test
    void checksTheRcodeBeforeTheRecords() throws Exception {
        server.on("example.test", A, ScriptedReply.rcode(DnsResponseCode.SERVFAIL));

        ProbeResult result = run(query("example.test").withChecks(
                checks(List.of(), List.of("192"), List.of(), List.of()), DnsRecordChecks.NONE, DnsRecordChecks.NONE));

        assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
    }

    @Test
    void checksTheAnswerBeforeTheAuthorityAndTheAdditionalSections() throws Exception {
        scriptTwoAnswers();
        DnsRecordChecks everything = checks(List.of("."), List.of(), List.of(), List.of());

        ProbeResult result = run(query("example.test").withChecks(everything, everything, everything));

        assertThat(result.detail()).startsWith("answer record ");
    }

    // --- Helpers ---

    private DnsProbeSpec query(String name) {
        return DnsProbeSpec.query("127.0.0.1", server.port(), name, DnsRecordType.A);
    }

    private static ProbeResult run(DnsProbeSpec spec) throws Exception {
        return harness.run(spec, TIMEOUT);
    }

    private static DnsRecordChecks checks(List<String> matches, List<String> notMatches, List<String> allMatch,
            List<String> noneMatches) {
        return new DnsRecordChecks(patterns(matches), patterns(notMatches), patterns(allMatch), patterns(noneMatches));
    }

    private static List<Pattern> patterns(List<String> expressions) {
        return expressions.stream().map(Pattern::compile).toList();
    }

    /** The facts by name, a labelled one as {@code name{label=value}}. */
    private static Map<String, Double> facts(ProbeResult result) {
        Map<String, Double> facts = new HashMap<>();
        for (ProbeFact fact : result.facts()) {
            String key = fact.name() + (fact.labels().isEmpty() ? "" : fact.labels().entrySet().stream()
                    .map(label -> label.getKey() + "=" + label.getValue())
                    .collect(Collectors.joining(",", "{", "}")));
            assertThat(facts.put(key, fact.value())).as("fact " + key + " reported once").isNull();
        }
        return facts;
    }
}
