package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.BacklogFullServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.GarbageServer;
import dev.vigil.testsupport.target.ResettingServer;
import dev.vigil.testsupport.target.StallingServer;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TruncatingHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProbeTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    @RegisterExtension
    static final ProbeHarness trusting = new ProbeHarness(CA.trustManagerFactory());

    @Test
    void succeedsOnA200AndMeasuresConnectAndFirstByteButNoDnsForAnIpLiteral() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = trusting.get(server.url("/health?deep=1"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.detail()).isEmpty();
            assertThat(result.dnsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.totalNanos()).isGreaterThanOrEqualTo(result.connectNanos() + result.firstByteNanos());
        }
    }

    @Test
    void sendsOneRequestOnANewConnectionThatItAsksToClose() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            trusting.get(server.url("/health?deep=1"));
            trusting.get(server.url("/health?deep=1"));

            List<StatusHttpServer.ReceivedRequest> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0).method()).isEqualTo("GET");
            assertThat(requests.get(0).uri()).isEqualTo("/health?deep=1");
            assertThat(requests.get(0).headers())
                    .containsEntry("connection", "close")
                    .containsEntry("host", "127.0.0.1:" + server.port());
        }
    }

    @Test
    void resolvesANameAndMeasuresDns() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = trusting.get(server.url("web.test", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(trusting.dns.questions()).contains("web.test");
        }
    }

    @Test
    void reportsDnsFailedForANameThatDoesNotExist() throws Exception {
        ProbeResult result = trusting.get(URI.create("http://nothing.test:" + ClosedPort.find() + "/"));

        assertThat(result.outcome()).isEqualTo(Outcome.DNS_FAILED);
        assertThat(result.detail()).startsWith("DNS lookup of nothing.test failed");
        assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
    }

    @Test
    void reportsAStatusOutsideTheExpectedRangesAsStatusMismatch() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(503)) {
            ProbeResult result = trusting.get(server.url("/"));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            assertThat(result.statusCode()).isEqualTo(503);
            assertThat(result.detail()).isEqualTo("status 503 from " + server.url("/") + " not in [200-299]");
        }
    }

    @Test
    void acceptsAStatusTheCheckExpects() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(503)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/")).withMethod(HttpMethod.HEAD)
                    .withExpectStatus(new ExpectedStatus(List.of(new StatusRange(500, 503))));
            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(server.requests()).extracting(StatusHttpServer.ReceivedRequest::method).containsExactly("HEAD");
        }
    }

    @Test
    void readsAWholeLargeBodyWithoutLimitAndCountsItsBytes() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, 3 << 20)) {
            ProbeResult result = trusting.get(server.url("/big"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(3 << 20);
            assertThat(ProbeFacts.value(result, "probe_http_content_length")).isEqualTo(3 << 20);
        }
    }

    @Test
    void failsABodyLongerThanTheLimitAsBodyTooLarge() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, 3 << 20)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/big")).withBodySizeLimitBytes(1 << 20);
            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_TOO_LARGE);
            assertThat(result.detail()).isEqualTo("body of " + server.url("/big")
                    + " is longer than body_size_limit 1048576 bytes");
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isGreaterThan(1 << 20);
        }
    }

    @Test
    void acceptsABodyExactlyAsLongAsTheLimit() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, 1 << 20)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/exact")).withBodySizeLimitBytes(1 << 20);
            ProbeResult result = trusting.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void recordsBlackboxFactsOfASuccessfulPlainRun() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = trusting.get(server.url("/"));

            assertThat(ProbeFacts.value(result, "probe_http_status_code")).isEqualTo(200);
            assertThat(ProbeFacts.value(result, "probe_http_content_length")).isEqualTo(2);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(2);
            assertThat(ProbeFacts.value(result, "probe_http_redirects")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(1.1);
            assertThat(ProbeFacts.value(result, "probe_failed_due_to_regex")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "resolve")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "connect")).isPositive();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "tls")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "processing")).isPositive();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "transfer")).isNotNegative();
            assertThat(ProbeFacts.has(result, "probe_http_last_modified_timestamp_seconds")).isFalse();
            assertThat(ProbeFacts.value(result, "probe_ip_protocol")).isEqualTo(4);
        }
    }

    @Test
    void recordsTheFactsItHasWhenARunFails() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            HttpProbeSpec spec = HttpProbeSpec.get(URI.create("http://127.0.0.1:" + server.port() + "/"));
            ProbeResult result = trusting.run(spec, Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(ProbeFacts.value(result, "probe_http_status_code")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_version")).isZero();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "connect")).isPositive();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "processing")).isZero();
        }
    }

    @Test
    void reportsConnectRefusedForAClosedPort() throws Exception {
        ProbeResult result = trusting.get(URI.create("http://127.0.0.1:" + ClosedPort.find() + "/"));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
    }

    @Test
    void reportsConnectTimeoutWhenTheHandshakeNeverCompletes() throws Exception {
        try (BacklogFullServer server = BacklogFullServer.start()) {
            HttpProbeSpec spec = HttpProbeSpec.get(URI.create("http://127.0.0.1:" + server.port() + "/"));
            ProbeResult result = trusting.run(spec, Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_TIMEOUT);
        }
    }

    @Test
    void reportsTimeoutWhenTheServerNeverAnswers() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            HttpProbeSpec spec = HttpProbeSpec.get(URI.create("http://127.0.0.1:" + server.port() + "/"));
            ProbeResult result = trusting.run(spec, Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).startsWith("no response from 127.0.0.1:" + server.port() + " within 300ms");
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.totalNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void reportsConnectionResetWhenTheServerResets() throws Exception {
        try (ResettingServer server = ResettingServer.start()) {
            ProbeResult result = trusting.get(URI.create("http://127.0.0.1:" + server.port() + "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECTION_RESET);
        }
    }

    @Test
    void reportsConnectionResetWhenTheResponseIsCutShort() throws Exception {
        try (TruncatingHttpServer server = TruncatingHttpServer.start()) {
            ProbeResult result = trusting.get(URI.create("http://127.0.0.1:" + server.port() + "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECTION_RESET);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void reportsProtocolErrorWhenTheServerDoesNotSpeakHttp() throws Exception {
        try (GarbageServer server = GarbageServer.start()) {
            ProbeResult result = trusting.get(URI.create("http://127.0.0.1:" + server.port() + "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
        }
    }

    @Test
    void measuresTheTlsHandshakeOfATrustedServer() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = trusting.get(server.url("localhost", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.firstByteNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void reportsTlsFailedForACertificateTheJvmDoesNotTrust() throws Exception {
        try (ProbeHarness defaultTrust = new ProbeHarness(null);
                StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = defaultTrust.get(server.url("localhost", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
            assertThat(result.detail()).startsWith("TLS handshake with localhost:" + server.port() + " failed");
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.statusCode()).isZero();
        }
    }

    @Test
    void reportsTlsFailedWhenTheCertificateNamesAnotherHost() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = trusting.get(server.url("web.test", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_FAILED);
        }
    }
}
