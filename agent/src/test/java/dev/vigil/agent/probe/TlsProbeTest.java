package dev.vigil.agent.probe;

import static dev.vigil.agent.probe.TcpProbeTest.fact;
import static dev.vigil.agent.probe.TcpProbeTest.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.TlsProbeSpec;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.ResettingServer;
import dev.vigil.testsupport.target.StallingServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TlsServer;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsProbeTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    private static final Instant NOW = Instant.now();

    private static ProbeHarness trusting;
    private static ProbeHarness jvmTrust;

    @BeforeAll
    static void startHarness() {
        trusting = new ProbeHarness(CA.trustManagerFactory());
        jvmTrust = new ProbeHarness(null);
    }

    @AfterAll
    static void stopHarness() {
        trusting.close();
        jvmTrust.close();
    }

    @Test
    void recordsTheChainOfATrustedServer() throws Exception {
        TestCertificateAuthority.ServerTls tls = CA.server();
        try (TlsServer server = TlsServer.start(tls)) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(result.detail()).isEmpty();
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(fact(result, "probe_ssl_earliest_cert_expiry"))
                    .isCloseTo(tls.notAfter().getEpochSecond(), within(1.0));
            assertThat(fact(result, "probe_ssl_last_chain_expiry_timestamp_seconds"))
                    .isCloseTo(tls.notAfter().getEpochSecond(), within(1.0));
            assertThat(labels(result, "probe_tls_version_info")).containsEntry("version", "TLS 1.3");
            assertThat(labels(result, "probe_ssl_last_chain_info"))
                    .containsEntry("subject", "CN=localhost")
                    .containsEntry("issuer", "CN=Vigil Test CA")
                    .containsEntry("subjectalternative", "localhost,127.0.0.1");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.handshakes() == 1);
        }
    }

    @Test
    void checksTheNameOfTheTargetWhenItIsAName() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server())) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("web.test", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with web.test:" + server.port()
                    + " failed: certificate CN=localhost is for localhost, 127.0.0.1, not web.test");
            assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void verifiesTheServerNameInsteadOfTheHostWhenOneIsSet() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().names("web.test"))) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(settings(true, Optional.of("web.test"), TlsVersion.TLS12, TlsVersion.TLS13));

            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void reportsACertificateForAnotherName() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().names("other.test"))) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: certificate CN=other.test is for other.test, not 127.0.0.1");
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.facts()).extracting(ProbeFact::name).doesNotContain("probe_ssl_earliest_cert_expiry");
        }
    }

    @Test
    void reportsAChainThatLeadsToNoTrustedCa() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server())) {
            ProbeResult result = jvmTrust.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: certificate CN=localhost is not trusted: its chain ends at CN=localhost, issued by"
                    + " CN=Vigil Test CA, which is no trusted CA");
        }
    }

    @Test
    void reportsASelfSignedCertificate() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().selfSigned())) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: self-signed certificate CN=localhost is not trusted");
        }
    }

    @Test
    void acceptsASelfSignedCertificateWithoutVerification() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().selfSigned())) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(settings(false, Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13));

            ProbeResult result = jvmTrust.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(labels(result, "probe_ssl_last_chain_info")).containsEntry("issuer", "CN=localhost");
        }
    }

    @Test
    void reportsAnExpiredCertificate() throws Exception {
        Instant expiry = NOW.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (TlsServer server = TlsServer.start(CA.server().validity(NOW.minus(30, ChronoUnit.DAYS), expiry))) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: certificate CN=localhost expired at " + expiry);
        }
    }

    @Test
    void reportsACertificateThatIsNotValidYet() throws Exception {
        Instant start = NOW.plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (TlsServer server = TlsServer.start(CA.server().validity(start, NOW.plus(30, ChronoUnit.DAYS)))) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: certificate CN=localhost is not valid before " + start);
        }
    }

    @Test
    void reportsAnExpiredCertificateAsExpiringWhenVerificationIsOff() throws Exception {
        Instant expiry = NOW.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (TlsServer server = TlsServer.start(CA.server().validity(NOW.minus(30, ChronoUnit.DAYS), expiry))) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(settings(false, Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13));

            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(result.detail()).isEqualTo("certificate CN=localhost expired at " + expiry
                    + " (127.0.0.1:" + server.port() + ")");
            assertThat(fact(result, "probe_ssl_earliest_cert_expiry")).isEqualTo(expiry.getEpochSecond());
        }
    }

    @Test
    void failsAsCertExpiringWhenTheCertificateExpiresWithinTheMargin() throws Exception {
        Instant expiry = NOW.plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (TlsServer server = TlsServer.start(CA.server().validity(NOW.minus(1, ChronoUnit.HOURS), expiry))) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(14)));

            ProbeResult result = run(spec, InstantSource.fixed(NOW));

            assertThat(result.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(result.detail()).isEqualTo("certificate CN=localhost expires at " + expiry
                    + ", in 4 days; the check requires at least 14 days (127.0.0.1:" + server.port() + ")");
            assertThat(result.tlsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(fact(result, "probe_ssl_earliest_cert_expiry")).isEqualTo(expiry.getEpochSecond());
        }
    }

    @Test
    void judgesTheMarginByTheInjectedClock() throws Exception {
        TestCertificateAuthority.ServerTls tls = CA.server().validity(NOW.minus(1, ChronoUnit.HOURS),
                NOW.plus(30, ChronoUnit.DAYS));
        try (TlsServer server = TlsServer.start(tls)) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(14)));

            ProbeResult now = run(spec, InstantSource.fixed(NOW));
            ProbeResult inFifteenDays = run(spec, InstantSource.fixed(NOW.plus(15, ChronoUnit.DAYS)));
            ProbeResult inSeventeenDays = run(spec, InstantSource.fixed(NOW.plus(17, ChronoUnit.DAYS)));

            assertThat(now.outcome()).as(now.detail()).isEqualTo(Outcome.OK);
            assertThat(inFifteenDays.outcome()).as(inFifteenDays.detail()).isEqualTo(Outcome.OK);
            assertThat(inSeventeenDays.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
        }
    }

    @Test
    void reportsNoVersionInCommonWithATls12OnlyServer() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().protocols("TLSv1.2"))) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(settings(true, Optional.empty(), TlsVersion.TLS13, TlsVersion.TLS13));

            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: no TLS version in common: the probe offers TLS13 (Received fatal alert: protocol_version)");
        }
    }

    @Test
    void speaksTls12WhenTheServerOffersNothingNewer() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().protocols("TLSv1.2"))) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            assertThat(labels(result, "probe_tls_version_info")).containsEntry("version", "TLS 1.2");
        }
    }

    @Test
    void presentsTheClientCertificateTheServerRequires(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client-key.pem");
        CA.writeClientCertificate(cert, key);
        try (TlsServer server = TlsServer.start(CA.server().requireClientCertificate())) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(new TlsSettings(true, Optional.empty(), Optional.of(cert), Optional.of(key),
                            Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13, Duration.ZERO));

            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.handshakes() == 1);
        }
    }

    @Test
    void reportsAMissingClientCertificateThatATls12ServerRequires() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().requireClientCertificate().protocols("TLSv1.2"))) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port() + " failed: the server"
                    + " requires a client certificate; the check has no cert_file (Received fatal alert: bad_certificate)");
        }
    }

    @Test
    void trustsTheCaFileOfTheCheck(@TempDir Path dir) throws Exception {
        Path ca = CA.writeRootCertificate(dir.resolve("ca.pem"));
        try (TlsServer server = TlsServer.start(CA.server())) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port())
                    .withTls(new TlsSettings(true, Optional.of(ca), Optional.empty(), Optional.empty(),
                            Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13, Duration.ZERO));

            ProbeResult result = jvmTrust.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void makesAFullHandshakeOnEveryRun() throws Exception {
        try (TlsServer server = TlsServer.start(CA.server().protocols("TLSv1.2"))) {
            TlsProbeSpec spec = TlsProbeSpec.handshake("127.0.0.1", server.port());

            ProbeResult first = trusting.run(spec, Duration.ofSeconds(5));
            ProbeResult second = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(first.outcome()).as(first.detail()).isEqualTo(Outcome.OK);
            assertThat(second.outcome()).as(second.detail()).isEqualTo(Outcome.OK);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.handshakes() == 2);
            assertThat(server.fullHandshakes()).as("handshakes that presented the certificate").isEqualTo(2);
        }
    }

    @Test
    void reportsATimeoutWhenTheServerNeverAnswersTheHello() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port()
                    + " not completed within 300ms");
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void reportsAServerThatResetsTheHandshake() throws Exception {
        try (ResettingServer server = ResettingServer.start()) {
            ProbeResult result = trusting.run(TlsProbeSpec.handshake("127.0.0.1", server.port()), Duration.ofSeconds(5));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTION_RESET);
            assertThat(result.detail()).startsWith("connection to 127.0.0.1:" + server.port());
        }
    }

    private static TlsSettings settings(boolean verify, Optional<String> serverName, TlsVersion min, TlsVersion max) {
        return new TlsSettings(verify, Optional.empty(), Optional.empty(), Optional.empty(), serverName, min, max,
                Duration.ZERO);
    }

    /** Runs {@code spec} with a factory trusting the test CA whose clock is {@code clock}. */
    private static ProbeResult run(TlsProbeSpec spec, InstantSource clock) throws Exception {
        try (ProbeFactory factory = new ProbeFactory(trusting.group,
                new SingletonDnsServerAddressStreamProvider(trusting.dns.address()), CA.trustManagerFactory(), clock)) {
            CheckConfig check = new CheckConfig("check", Duration.ofSeconds(10), Duration.ofSeconds(5), spec);
            return factory.create(check).run(trusting.group.next()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
