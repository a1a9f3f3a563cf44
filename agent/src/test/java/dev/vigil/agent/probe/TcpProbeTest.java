package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TcpStep;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.BacklogFullServer;
import dev.vigil.testsupport.target.BannerServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.HangUpServer;
import dev.vigil.testsupport.target.IrcLikeServer;
import dev.vigil.testsupport.target.StallingServer;
import dev.vigil.testsupport.target.StartTlsServer;
import dev.vigil.testsupport.target.StartTlsServer.ReceivedLine;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TlsServer;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TcpProbeTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    private static final TcpStep EHLO = TcpStep.expect("^220 ").thenSend("EHLO prober");
    private static final List<TcpStep> SMTP_STARTTLS = List.of(
            EHLO,
            TcpStep.expect("^250 ").thenSend("STARTTLS"),
            TcpStep.expect("^220 ").thenStartTls(),
            TcpStep.send("EHLO prober"),
            TcpStep.expect("^250 ").thenSend("QUIT"),
            TcpStep.expect("^221 "));

    private static ProbeHarness harness;
    private static ProbeHarness trusting;

    @BeforeAll
    static void startHarness() {
        harness = new ProbeHarness(null);
        trusting = new ProbeHarness(CA.trustManagerFactory());
    }

    @AfterAll
    static void stopHarness() {
        harness.close();
        trusting.close();
    }

    @Test
    void succeedsWhenThePortAcceptsAndMeasuresOnlyConnect() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = harness.connect("127.0.0.1", server.port());

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.statusCode()).isZero();
            assertThat(fact(result, "probe_failed_due_to_regex")).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 1);
        }
    }

    @Test
    void measuresDnsForAName() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = harness.connect("web.test", server.port());

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void reportsDnsFailedForAnUnknownName() throws Exception {
        ProbeResult result = harness.connect("nothing.test", 5432);

        assertThat(result.outcome()).isEqualTo(Outcome.DNS_FAILED);
        assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(fact(result, "probe_failed_due_to_regex")).isZero();
    }

    @Test
    void reportsConnectRefusedForAClosedPort() throws Exception {
        int port = ClosedPort.find();
        ProbeResult result = harness.connect("127.0.0.1", port);

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(result.detail()).isEqualTo("connection to 127.0.0.1:" + port + " refused");
    }

    @Test
    void reportsConnectTimeoutWhenNobodyCompletesTheHandshake() throws Exception {
        try (BacklogFullServer server = BacklogFullServer.start()) {
            ProbeResult result = harness.run(TcpProbeSpec.connect("127.0.0.1", server.port()), Duration.ofMillis(300));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECT_TIMEOUT);
            assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
        }
    }

    @Test
    void readsAnSshBannerAndMeasuresTheFirstByte() throws Exception {
        try (BannerServer server = BannerServer.start("SSH-2.0-OpenSSH_9.2p1 Debian-2")) {
            ProbeResult result = harness.run(dialogue(server.port(), TcpStep.expect("^SSH-2\\.0-")), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(fact(result, "probe_failed_due_to_regex")).isZero();
        }
    }

    @Test
    void skipsLinesThatDoNotMatchUntilOneDoes() throws Exception {
        try (BannerServer server = BannerServer.start("NOTICE one", "NOTICE two", "READY now")) {
            ProbeResult result = harness.run(dialogue(server.port(), TcpStep.expect("^READY")), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void failsAsAssertionFailedWhenThePeerClosesBeforeTheExpectedLine() throws Exception {
        try (HangUpServer server = HangUpServer.start("220 mail.test ESMTP", "421 4.3.2 shutting down\r\n")) {
            ProbeResult result = harness.run(dialogue(server.port(), EHLO, TcpStep.expect("^250 ")),
                    Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).isEqualTo("dialogue[1]: expected /^250 / but the connection closed after 1 line;"
                    + " last line: '421 4.3.2 shutting down'");
            assertThat(fact(result, "probe_failed_due_to_regex")).isEqualTo(1);
        }
    }

    @Test
    void readsALastLineThatTheCloseCutsShort() throws Exception {
        try (HangUpServer server = HangUpServer.start("220 mail.test ESMTP", "221 bye, and no line break")) {
            ProbeResult result = harness.run(dialogue(server.port(), EHLO, TcpStep.expect("^221 ")),
                    Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void reportsATimeoutNamingTheExpressionWhenTheLineNeverComes() throws Exception {
        try (BannerServer server = BannerServer.start("SSH-1.99-OldServer")) {
            ProbeResult result = harness.run(dialogue(server.port(), TcpStep.expect("^SSH-2\\.0-")),
                    Duration.ofMillis(500));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("dialogue[0]: no line matching /^SSH-2\\.0-/ from 127.0.0.1:"
                    + server.port() + " within 500ms; 1 line read, last line: 'SSH-1.99-OldServer'");
            assertThat(fact(result, "probe_failed_due_to_regex")).as("as blackbox_exporter: only a close counts")
                    .isZero();
        }
    }

    @Test
    void reportsATimeoutWhenTheServerSaysNothing() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = harness.run(dialogue(server.port(), TcpStep.expect("^\\+OK")), Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("dialogue[0]: no line matching /^\\+OK/ from 127.0.0.1:"
                    + server.port() + " within 300ms; no line read");
            assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
        }
    }

    @Test
    void failsAsProtocolErrorOnALineLongerThanTheLimit() throws Exception {
        try (BannerServer server = BannerServer.start("x".repeat(TcpProbe.MAX_LINE_BYTES + 10))) {
            ProbeResult result = harness.run(dialogue(server.port(), TcpStep.expect("^SSH-")), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
            assertThat(result.detail()).isEqualTo("dialogue[0]: a line from 127.0.0.1:" + server.port()
                    + " is longer than 65536 bytes");
        }
    }

    @Test
    void answersAnIrcPingWithTheTokenItCarries() throws Exception {
        try (IrcLikeServer server = IrcLikeServer.start()) {
            ProbeResult result = harness.run(dialogue(server.port(),
                    TcpStep.send("NICK prober"),
                    TcpStep.send("USER prober prober prober :prober"),
                    TcpStep.expect("PING :([^ ]+)").thenSend("PONG ${1}"),
                    TcpStep.expect("^:[^ ]+ 001")), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(server.received()).contains("PONG " + server.token());
        }
    }

    @Test
    void substitutesANamedGroupInALaterStep() throws Exception {
        try (IrcLikeServer server = IrcLikeServer.start()) {
            ProbeResult result = harness.run(dialogue(server.port(),
                    TcpStep.send("NICK prober"),
                    TcpStep.send("USER prober prober prober :prober"),
                    TcpStep.expect("PING :(?<token>[^ ]+)"),
                    TcpStep.send("PONG $token"),
                    TcpStep.expect("^:[^ ]+ 001")), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(server.received()).contains("PONG " + server.token());
        }
    }

    @Test
    void failsWhenTheServerRefusesAWrongAnswer() throws Exception {
        try (IrcLikeServer server = IrcLikeServer.start()) {
            ProbeResult result = harness.run(dialogue(server.port(),
                    TcpStep.send("NICK prober"),
                    TcpStep.send("USER prober prober prober :prober"),
                    TcpStep.expect("PING :([^ ]+)").thenSend("PONG wrong"),
                    TcpStep.expect("^:[^ ]+ 001")), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).isEqualTo("dialogue[3]: expected /^:[^ ]+ 001/ but the connection closed after"
                    + " 1 line; last line: 'ERROR :Closing link: PONG wrong does not answer the PING'");
        }
    }

    @Test
    void upgradesWithStartTlsAndReportsTheCertificate() throws Exception {
        try (StartTlsServer server = StartTlsServer.start(CA.serverContext())) {
            ProbeResult result = trusting.run(TcpProbeSpec.connect("127.0.0.1", server.port())
                    .withDialogue(SMTP_STARTTLS), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(result.tlsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.facts()).contains(ProbeFact.of("probe_tls_version_info", "version", "TLS 1.3", 1));
            assertThat(fact(result, "probe_ssl_earliest_cert_expiry")).isPositive();
            assertThat(server.received()).containsExactly(
                    new ReceivedLine("EHLO prober", false),
                    new ReceivedLine("STARTTLS", false),
                    new ReceivedLine("EHLO prober", true),
                    new ReceivedLine("QUIT", true));
        }
    }

    @Test
    void dropsPlainTextThatArrivedBeforeTheTlsHandshake() throws Exception {
        try (StartTlsServer server = StartTlsServer.injecting(CA.serverContext(), "250 injected")) {
            ProbeResult result = trusting.run(TcpProbeSpec.connect("127.0.0.1", server.port()).withDialogue(List.of(
                    EHLO,
                    TcpStep.expect("^250 ").thenSend("STARTTLS"),
                    TcpStep.expect("^220 ").thenStartTls(),
                    TcpStep.send("EHLO prober"),
                    TcpStep.expect("^250 (.*)").thenSend("RSET $1"))), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.received().size() == 4);
            assertThat(server.received().get(3)).isEqualTo(new ReceivedLine("RSET SIZE 1000000", true));
        }
    }

    @Test
    void reportsTlsFailedWhenStartTlsMeetsAnUntrustedCertificate() throws Exception {
        try (StartTlsServer server = StartTlsServer.start(CA.serverContext())) {
            ProbeResult result = harness.run(TcpProbeSpec.connect("127.0.0.1", server.port())
                    .withDialogue(SMTP_STARTTLS), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: certificate CN=localhost is not trusted: its chain ends at CN=localhost, issued by"
                    + " CN=Vigil Test CA, which is no trusted CA");
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
        }
    }

    @Test
    void speaksTlsRightAfterTheConnect() throws Exception {
        try (TlsServer server = TlsServer.greeting(CA.server(), "+OK POP3 server ready")) {
            ProbeResult result = trusting.run(TcpProbeSpec.connect("localhost", server.port())
                    .withTlsOnConnect(TlsSettings.DEFAULT)
                    .withDialogue(List.of(TcpStep.expect("^\\+OK"))), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(result.tlsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.facts()).extracting(ProbeFact::name).contains("probe_ssl_earliest_cert_expiry",
                    "probe_ssl_last_chain_expiry_timestamp_seconds", "probe_ssl_last_chain_info",
                    "probe_tls_version_info", "probe_failed_due_to_regex");
        }
    }

    @Test
    void failsAsCertExpiringWhenTheClockNearsTheCertificatesEnd() throws Exception {
        Instant now = Instant.now();
        TestCertificateAuthority.ServerTls tls = CA.server().validity(now.minus(1, ChronoUnit.HOURS),
                now.plus(30, ChronoUnit.DAYS));
        try (TlsServer server = TlsServer.start(tls)) {
            TcpProbeSpec spec = TcpProbeSpec.connect("127.0.0.1", server.port())
                    .withTlsOnConnect(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(14)));

            ProbeResult today = run(spec, InstantSource.fixed(now));
            ProbeResult inTwentyDays = run(spec, InstantSource.fixed(now.plus(20, ChronoUnit.DAYS)));

            assertThat(today.outcome()).as(today.detail()).isEqualTo(Outcome.OK);
            assertThat(inTwentyDays.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(inTwentyDays.detail()).startsWith("certificate CN=localhost expires at ")
                    .endsWith(", in 9 days; the check requires at least 14 days (127.0.0.1:" + server.port() + ")");
        }
    }

    @Test
    void seesTheServerRefuseAMissingClientCertificateOnTheFirstRead() throws Exception {
        try (TlsServer server = TlsServer.greeting(CA.server().requireClientCertificate(), "+OK")) {
            ProbeResult result = trusting.run(TcpProbeSpec.connect("127.0.0.1", server.port())
                    .withTlsOnConnect(TlsSettings.DEFAULT)
                    .withDialogue(List.of(TcpStep.expect("^\\+OK"))), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port() + " failed: the server"
                    + " requires a client certificate; the check has no cert_file (Received fatal alert:"
                    + " bad_certificate)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsVersion.class, names = {"TLS12", "TLS13"})
    void makesAFullHandshakeOnEveryRun(TlsVersion version) throws Exception {
        TlsSettings only = new TlsSettings(true, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), version, version, Duration.ZERO);
        try (TlsServer server = TlsServer.greeting(CA.server(), "+OK ready")) {
            TcpProbeSpec spec = TcpProbeSpec.connect("127.0.0.1", server.port())
                    .withTlsOnConnect(only)
                    .withDialogue(List.of(TcpStep.expect("^\\+OK")));

            ProbeResult first = trusting.run(spec, Duration.ofSeconds(5));
            ProbeResult second = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(first.outcome()).as(first.detail()).isEqualTo(Outcome.OK);
            assertThat(second.outcome()).as(second.detail()).isEqualTo(Outcome.OK);
            assertThat(second.facts()).contains(ProbeFact.of("probe_tls_version_info", "version",
                    version == TlsVersion.TLS12 ? "TLS 1.2" : "TLS 1.3", 1));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.handshakes() == 2);
            assertThat(server.fullHandshakes()).as("handshakes that presented the certificate").isEqualTo(2);
        }
    }

    private static TcpProbeSpec dialogue(int port, TcpStep... steps) {
        return TcpProbeSpec.connect("127.0.0.1", port).withDialogue(List.of(steps));
    }

    /** Runs {@code spec} with a factory trusting the test CA whose clock is {@code clock}. */
    private static ProbeResult run(ProbeSpec spec, InstantSource clock) throws Exception {
        try (ProbeFactory factory = new ProbeFactory(trusting.group,
                new SingletonDnsServerAddressStreamProvider(trusting.dns.address()), CA.trustManagerFactory(), clock)) {
            CheckConfig check = new CheckConfig("check", Duration.ofSeconds(10), Duration.ofSeconds(5), spec);
            return factory.create(check).run(trusting.group.next()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static double fact(ProbeResult result, String name) {
        return result.facts().stream().filter(fact -> fact.name().equals(name)).findFirst()
                .map(ProbeFact::value).orElseThrow(() -> new AssertionError("no fact " + name + " in " + result.facts()));
    }

    static Map<String, String> labels(ProbeResult result, String name) {
        return result.facts().stream().filter(fact -> fact.name().equals(name)).findFirst()
                .map(ProbeFact::labels).orElseThrow(() -> new AssertionError("no fact " + name + " in " + result.facts()));
    }
}
