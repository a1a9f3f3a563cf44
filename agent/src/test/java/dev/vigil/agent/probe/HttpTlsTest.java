package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HttpTlsTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    @RegisterExtension
    static final ProbeHarness trusting = new ProbeHarness(CA.trustManagerFactory());

    @TempDir
    Path dir;

    private static ProbeResult run(HttpProbeSpec spec) throws Exception {
        return trusting.run(spec, Duration.ofSeconds(5));
    }

    private static TlsSettings unverified() {
        return new TlsSettings(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                TlsSettings.DEFAULT.minVersion(), TlsSettings.DEFAULT.maxVersion(), Duration.ZERO);
    }

    @Test
    void recordsTheTlsFactsOfTheFinalConnection() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = trusting.get(server.url("localhost", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isEqualTo(1);
            assertThat(ProbeFacts.value(result, "probe_tls_version_info", "version", "TLS 1.3")).isEqualTo(1);
            assertThat(ProbeFacts.value(result, "probe_ssl_earliest_cert_expiry")).isPositive();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "tls")).isPositive();
        }
    }

    @Test
    void failsTheHandshakeOfAnExpiredCertificateWhenVerifying() throws Exception {
        Instant now = Instant.now();
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(
                CA.serverContextValid(now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS)))) {
            ProbeResult result = trusting.get(server.url("localhost", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).startsWith("TLS handshake with localhost:" + server.port() + " failed");
        }
    }

    @Test
    void reportsAnExpiredCertificateAsCertExpiringWhenNotVerifying() throws Exception {
        Instant expiry = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(
                CA.serverContextValid(expiry.minus(10, ChronoUnit.DAYS), expiry))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/")).withTls(unverified()));

            assertThat(result.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(result.detail()).isEqualTo("TLS certificate of localhost:" + server.port()
                    + ": certificate CN=localhost expired at " + expiry);
            assertThat(result.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void reportsACertificateExpiringSoonerThanTheCheckAllowsAsCertExpiring() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("localhost", "/"))
                    .withTls(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(7)));
            ProbeResult result = run(spec);

            assertThat(result.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(result.detail()).startsWith("TLS certificate of localhost:" + server.port()
                    + ": certificate CN=localhost expires at ").endsWith("the check requires at least 7 days");
            assertThat(result.firstByteNanos()).isNotNegative();
        }
    }

    @Test
    void acceptsACertificateValidLongerThanTheMargin() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/"))
                    .withTls(TlsSettings.DEFAULT.withMinValidity(Duration.ofHours(1))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void reportsAWorseFailureBeforeAnExpiringCertificate() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/"))
                    .withTls(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(7)))
                    .withExpectStatus(new ExpectedStatus(List.of(new StatusRange(500, 599)))));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
        }
    }

    @Test
    void judgesValidityAgainstTheFactorysClock() throws Exception {
        InstantSource threeDaysLater = InstantSource.fixed(Instant.now().plus(3, ChronoUnit.DAYS));
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext());
                ProbeFactory factory = new ProbeFactory(trusting.group,
                        new SingletonDnsServerAddressStreamProvider(trusting.dns.address()), CA.trustManagerFactory(),
                        threeDaysLater)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("localhost", "/"));
            CheckConfig check = new CheckConfig("later", Duration.ofSeconds(10), Duration.ofSeconds(5), spec);
            ProbeResult result = factory.create(check).run(trusting.group.next()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            assertThat(result.outcome()).isEqualTo(Outcome.CERT_EXPIRING);
            assertThat(result.detail()).contains("certificate CN=localhost expired at ");
        }
    }

    @Test
    void failsASelfSignedCertificateUnlessVerificationIsOff() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(TestCertificateAuthority.selfSignedServerContext())) {
            ProbeResult verified = trusting.get(server.url("localhost", "/"));
            ProbeResult unverifiedResult = run(HttpProbeSpec.get(server.url("localhost", "/")).withTls(unverified()));

            assertThat(verified.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(verified.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(unverifiedResult.outcome()).isEqualTo(Outcome.OK);
            assertThat(unverifiedResult.tlsNanos()).isNotNegative();
        }
    }

    @Test
    void verifiesTheServerNameTheCheckNamesInsteadOfTheHost() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContextFor("api.internal.test"))) {
            ProbeResult byHost = trusting.get(server.url("localhost", "/"));
            TlsSettings named = new TlsSettings(true, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("api.internal.test"), TlsSettings.DEFAULT.minVersion(), TlsSettings.DEFAULT.maxVersion(),
                    Duration.ZERO);
            ProbeResult byServerName = run(HttpProbeSpec.get(server.url("localhost", "/")).withTls(named));

            assertThat(byHost.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(byServerName.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void trustsTheAuthorityOfTheChecksCaFile() throws Exception {
        Path caFile = CA.writeRootCertificate(dir.resolve("ca.pem"));
        TlsSettings withCa = new TlsSettings(true, Optional.of(caFile), Optional.empty(), Optional.empty(),
                Optional.empty(), TlsSettings.DEFAULT.minVersion(), TlsSettings.DEFAULT.maxVersion(), Duration.ZERO);
        try (ProbeHarness defaultTrust = new ProbeHarness(null);
                StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = defaultTrust.run(HttpProbeSpec.get(server.url("localhost", "/")).withTls(withCa),
                    Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void presentsTheClientCertificateAServerRequires() throws Exception {
        TestCertificateAuthority.PemFiles client = CA.writeClientCertificate(dir);
        TlsSettings withClientCertificate = new TlsSettings(true, Optional.empty(), Optional.of(client.certificate()),
                Optional.of(client.privateKey()), Optional.empty(), TlsSettings.DEFAULT.minVersion(),
                TlsSettings.DEFAULT.maxVersion(), Duration.ZERO);
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContextRequiringClientCertificate())) {
            ProbeResult without = trusting.get(server.url("localhost", "/"));
            ProbeResult with = run(HttpProbeSpec.get(server.url("localhost", "/")).withTls(withClientCertificate));

            assertThat(without.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(without.detail()).startsWith("TLS handshake with localhost:" + server.port() + " failed");
            assertThat(with.outcome()).isEqualTo(Outcome.OK);
        }
    }
}
