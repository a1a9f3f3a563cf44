package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.config.EvidenceSettings;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.DnsRcode;
import dev.vigil.config.check.DnsRecordType;
import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TlsProbeSpec;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.dns.ScriptedDnsServer;
import dev.vigil.testsupport.dns.ScriptedDnsTarget;
import dev.vigil.testsupport.dns.ScriptedRecord;
import dev.vigil.testsupport.dns.ScriptedReply;
import dev.vigil.testsupport.target.BodyStallingHttpServer;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.Http2Server;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TlsServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a failed run captures for the collector, probe by probe, against servers that fail on purpose. */
class FailureEvidenceTest {
    private static final int BODY_BYTES = 64;
    private static final io.netty.handler.codec.dns.DnsRecordType NETTY_A = io.netty.handler.codec.dns.DnsRecordType.A;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ExpectedStatus ONLY_204 = new ExpectedStatus(List.of(new StatusRange(204, 204)));
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final ScriptedDnsServer NAMES = ScriptedDnsServer.start().answer("web.test", "127.0.0.1");
    private static final ProbeFactory FACTORY = new ProbeFactory(GROUP,
            new SingletonDnsServerAddressStreamProvider(NAMES.address()), CA.trustManagerFactory(),
            InstantSource.system(), new EvidenceSettings(true, BODY_BYTES, Duration.ofMinutes(5)));

    @AfterAll
    static void close() {
        FACTORY.close();
        NAMES.close();
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ProbeResult run(ProbeSpec spec) throws Exception {
        return run(FACTORY, spec);
    }

    private static ProbeResult run(ProbeFactory factory, ProbeSpec spec) throws Exception {
        CheckConfig check = new CheckConfig("check", TIMEOUT.multipliedBy(2), TIMEOUT, spec);
        return factory.create(check).run(GROUP.next()).toCompletableFuture()
                .get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @Test
    void anHttpFailureCarriesTheStatusLineRedactedHeadersAndTheFirstBodyBytes() throws Exception {
        String body = "Service down for maintenance; password=hunter2; the probe said probe-secret-123. "
                + "x".repeat(200);
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(503)
                .header("Retry-After", "120")
                .header("Set-Cookie", "sid=abc123; Path=/")
                .header("X-Upstream-Token", "tok-999")
                .body(body))) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/health"))
                    .withHeaders(List.of(new HttpHeader("X-Probe", "probe-secret-123")));

            ProbeResult result = run(spec);

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.remoteAddress()).isEqualTo("127.0.0.1:" + server.url("/").getPort());
            assertThat(evidence.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(evidence.headers()).contains(new Evidence.Header("Retry-After", "120"),
                    new Evidence.Header("Set-Cookie", "[redacted]"),
                    new Evidence.Header("X-Upstream-Token", "[redacted]"));
            assertThat(evidence.headers()).extracting(Evidence.Header::value)
                    .noneMatch(value -> value.contains("abc123") || value.contains("tok-999"));
            assertThat(evidence.body()).as("redacted, then cut to body_bytes").isEqualTo(
                    "Service down for maintenance; password=[redacted]; the probe said [redacted]. xxx".substring(0,
                            BODY_BYTES));
            assertThat(evidence.bodyTruncated()).isTrue();
            assertThat(evidence.error()).startsWith(result.detail());
            assertThat(evidence.tlsChain()).isEmpty();
            assertThat(evidence.dnsAnswers()).isEmpty();
        }
    }

    @Test
    void aHeaderValueTooLongForTheEvidenceIsCutNotDropped() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(500)
                .header("Content-Security-Policy", "default-src 'self' " + "é".repeat(400))
                .body("oops"))) {
            Evidence evidence = run(HttpProbeSpec.get(server.url("/"))).evidence().orElseThrow();

            Evidence.Header policy = evidence.headers().stream()
                    .filter(header -> header.name().equals("Content-Security-Policy")).findFirst().orElseThrow();
            assertThat(policy.value()).startsWith("default-src 'self' é");
            assertThat(policy.value().getBytes(StandardCharsets.UTF_8).length)
                    .isBetween(Evidence.MAX_HEADER_VALUE_BYTES - 1, Evidence.MAX_HEADER_VALUE_BYTES);
            assertThat(evidence.body()).isEqualTo("oops");
        }
    }

    @Test
    void aConfiguredSecretIsRedactedWhereverTheServerEchoesIt() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(401)
                .header("X-Echo", "you sent probe-secret-123")
                .body("bad key probe-secret-123"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withHeaders(List.of(new HttpHeader("X-Probe", "probe-secret-123"))));

            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.headers()).contains(new Evidence.Header("X-Echo", "you sent [redacted]"));
            assertThat(evidence.body()).isEqualTo("bad key [redacted]");
            assertThat(evidence.bodyTruncated()).isFalse();
        }
    }

    @Test
    void echoedBasicCredentialsAndSecretQueryValuesInHeadersAreRedacted() throws Exception {
        String sent = Base64.getEncoder().encodeToString("probe:basic-pass-3".getBytes(StandardCharsets.UTF_8));
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(502)
                .header("Location", "https://app.test/cb?code=abc&access_token=XYZ&state=ok")
                .body("seen: Basic " + sent + "\n{\"password\": \"correct horse\"}"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withAuth(Optional.of(new HttpAuth.Basic("probe", "basic-pass-3"))));

            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.headers()).contains(new Evidence.Header("Location",
                    "https://app.test/cb?code=[redacted]&access_token=[redacted]&state=ok"));
            assertThat(evidence.body()).doesNotContain(sent, "horse")
                    .isEqualTo("seen: Basic [redacted]\n{\"password\": \"[redacted]\"}");
        }
    }

    @Test
    void aBodyThatStallsEndsTheFailedRunAsItFailedWithWhatArrived() throws Exception {
        try (BodyStallingHttpServer server = BodyStallingHttpServer.start()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withExpectStatus(ONLY_204));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.STATUS_MISMATCH);
            assertThat(result.detail()).doesNotContain("within");
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(evidence.body()).isEqualTo("0123456789");
        }
    }

    @Test
    void anHttp2FailureCarriesItsStatusLineAndBodyFromTheRequestsStream() throws Exception {
        try (Http2Server server = Http2Server.overTls(CA.serverContextBuilder())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/"))
                    .withProtocol(HttpProtocol.HTTP_2).withExpectStatus(ONLY_204));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.statusLine()).isEqualTo("HTTP/2 200");
            assertThat(evidence.body()).isEqualTo("ok over h2");
            assertThat(evidence.bodyTruncated()).isFalse();
            assertThat(evidence.tlsChain()).extracting(Evidence.Certificate::subject).contains("CN=localhost");
        }
    }

    @Test
    void aCertificateFailureCarriesTheChainTheServerPresented() throws Exception {
        Instant now = Instant.now();
        Instant expiry = now.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        TestCertificateAuthority.ServerTls tls = CA.server().validity(now.minus(30, ChronoUnit.DAYS), expiry);
        try (TlsServer server = TlsServer.start(tls)) {
            ProbeResult result = run(TlsProbeSpec.handshake("127.0.0.1", server.port()));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.remoteAddress()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(evidence.statusLine()).isEmpty();
            assertThat(evidence.tlsChain()).isNotEmpty();
            Evidence.Certificate leaf = evidence.tlsChain().get(0);
            assertThat(leaf.subject()).isEqualTo("CN=localhost");
            assertThat(leaf.notAfterEpochMillis()).isEqualTo(expiry.toEpochMilli());
            assertThat(leaf.sha256()).matches("[0-9a-f]{64}");
            assertThat(evidence.error()).contains("expired at " + expiry).contains("SSLHandshakeException");
        }
    }

    @Test
    void anHttpsFailureAfterTheHandshakeCarriesTheChainToo() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(500)) {
            // Plain HTTP first: no chain.
            assertThat(run(HttpProbeSpec.get(server.url("/"))).evidence().orElseThrow().tlsChain()).isEmpty();
        }
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/"))
                    .withExpectStatus(ONLY_204));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(evidence.tlsChain()).extracting(Evidence.Certificate::subject).contains("CN=localhost");
        }
    }

    @Test
    void aDnsFailureCarriesTheRcodeAndTheRecordsTheServerGave() throws Exception {
        try (ScriptedDnsTarget server = ScriptedDnsTarget.start()) {
            server.on("gone.test", NETTY_A,
                    ScriptedReply.rcode(DnsResponseCode.NXDOMAIN)
                            .authority(ScriptedRecord.soa("test", 300, "ns1.test", "hostmaster.test", 7, 1, 1, 1, 1)));

            ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "gone.test", DnsRecordType.A));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            Evidence evidence = result.evidence().orElseThrow();
            assertThat(evidence.remoteAddress()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(evidence.dnsAnswers()).hasSize(2);
            assertThat(evidence.dnsAnswers().get(0)).isEqualTo("rcode NXDOMAIN from 127.0.0.1:" + server.port());
            assertThat(evidence.dnsAnswers().get(1)).startsWith("authority test. 300 IN SOA ns1.test.");
        }
    }

    @Test
    void aDnsAnswerThatFailsTheChecksCarriesItsRecords() throws Exception {
        try (ScriptedDnsTarget server = ScriptedDnsTarget.start()) {
            server.on("example.test", NETTY_A,
                    ScriptedReply.answer(ScriptedRecord.a("example.test", 30, "192.0.2.1")));

            ProbeResult result = run(DnsProbeSpec.query("127.0.0.1", server.port(), "example.test", DnsRecordType.A)
                    .withValidRcodes(Set.of(DnsRcode.NXDOMAIN)));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            assertThat(result.evidence().orElseThrow().dnsAnswers())
                    .containsExactly("rcode NOERROR from 127.0.0.1:" + server.port(),
                            "example.test. 30 IN A 192.0.2.1");
        }
    }

    @Test
    void aRefusedConnectionCarriesTheAddressAndTheErrorButNoStatusLine() throws Exception {
        int port = ClosedPort.find();

        ProbeResult result = run(TcpProbeSpec.connect("127.0.0.1", port));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        Evidence evidence = result.evidence().orElseThrow();
        assertThat(evidence.remoteAddress()).isEqualTo("127.0.0.1:" + port);
        assertThat(evidence.statusLine()).isEmpty();
        assertThat(evidence.headers()).isEmpty();
        assertThat(evidence.body()).isEmpty();
        assertThat(evidence.error()).startsWith(result.detail()).contains("Connection refused");
    }

    @Test
    void aRefusedHttpConnectionHasNoStatusLineEither() throws Exception {
        int port = ClosedPort.find();

        ProbeResult result = run(HttpProbeSpec.get(URI.create("http://web.test:" + port + "/")));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        Evidence evidence = result.evidence().orElseThrow();
        assertThat(evidence.remoteAddress()).isEqualTo("127.0.0.1:" + port);
        assertThat(evidence.statusLine()).isEmpty();
        assertThat(evidence.error()).contains("Connection refused");
    }

    @Test
    void aSuccessfulRunCarriesNoEvidence() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.evidence()).isEmpty();
            assertThat(result.toSample("web", 1_000, 0).evidence()).isEmpty();
        }
    }

    @Test
    void aFailedRunCarriesNoEvidenceWhenCaptureIsDisabled() throws Exception {
        try (ProbeFactory disabled = new ProbeFactory(GROUP, new SingletonDnsServerAddressStreamProvider(
                NAMES.address()), null, InstantSource.system(), EvidenceSettings.DISABLED)) {
            ProbeResult result = run(disabled, TcpProbeSpec.connect("127.0.0.1", ClosedPort.find()));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
            assertThat(result.evidence()).isEmpty();
        }
    }

    @Test
    void theEvidenceTravelsOnTheSample() throws Exception {
        ProbeResult result = run(TcpProbeSpec.connect("127.0.0.1", ClosedPort.find()));

        Sample sample = result.toSample("db", 1_000, 0);

        assertThat(sample.evidence()).isEqualTo(result.evidence());
    }
}
