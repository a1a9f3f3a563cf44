package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.Http2Server;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Http2ProbeTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(CA.trustManagerFactory());

    private static ProbeResult run(HttpProbeSpec spec) throws Exception {
        return harness.run(spec, Duration.ofSeconds(5));
    }

    @Test
    void speaksHttp2OverTlsWhenAlpnPicksIt() throws Exception {
        try (Http2Server server = Http2Server.overTls(CA.serverContextBuilder())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/h2?x=1"))
                    .withProtocol(HttpProtocol.HTTP_2)
                    .withBodyMustMatch(List.of(Pattern.compile("ok over h2")))
                    .withAcceptedProtocols(Set.of(HttpProtocol.HTTP_2)));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.tlsNanos()).isNotNegative();
            assertThat(result.firstByteNanos()).isNotNegative();
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(2);
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isEqualTo(1);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(10);
            assertThat(server.requests()).containsExactly(
                    new Http2Server.Received("h2", "localhost:" + server.url("localhost", "/").getPort(), "/h2?x=1"));
        }
    }

    @Test
    void speaksHttp11OverTlsWhenTheCheckAsksForIt() throws Exception {
        try (Http2Server server = Http2Server.overTls(CA.serverContextBuilder())) {
            ProbeResult result = harness.get(server.url("localhost", "/"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(1.1);
            assertThat(server.requests()).extracting(Http2Server.Received::protocol).containsExactly("http/1.1");
        }
    }

    @Test
    void fallsBackToHttp11WhenTheServerDoesNotNegotiateHttp2() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult any = run(HttpProbeSpec.get(server.url("localhost", "/")).withProtocol(HttpProtocol.HTTP_2));
            ProbeResult http2Only = run(HttpProbeSpec.get(server.url("localhost", "/")).withProtocol(HttpProtocol.HTTP_2)
                    .withAcceptedProtocols(Set.of(HttpProtocol.HTTP_2)));

            assertThat(any.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(any, "probe_http_version")).isEqualTo(1.1);
            assertThat(http2Only.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(http2Only.detail()).endsWith("came in HTTP/1.1, not in http_versions [http2]");
        }
    }

    @Test
    void speaksHttp2InClearTextByPriorKnowledge() throws Exception {
        try (Http2Server server = Http2Server.cleartext()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("127.0.0.1", "/plain")).withProtocol(HttpProtocol.HTTP_2));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.tlsNanos()).isEqualTo(-1);
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(2);
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isZero();
            assertThat(server.requests()).extracting(Http2Server.Received::path).containsExactly("/plain");
        }
    }

    @Test
    void reportsProtocolErrorWhenAnHttp11ServerGetsPriorKnowledgeHttp2() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withProtocol(HttpProtocol.HTTP_2));

            assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
            assertThat(result.detail()).isEqualTo("not a valid response from 127.0.0.1:" + server.port()
                    + ": First received frame was not SETTINGS. Hex dump for first 5 bytes: 485454502f");
        }
    }

    @Test
    void opensANewHttp2ConnectionForEveryRun() throws Exception {
        try (Http2Server server = Http2Server.cleartext()) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("127.0.0.1", "/")).withProtocol(HttpProtocol.HTTP_2);
            ProbeResult first = run(spec);
            ProbeResult second = run(spec);

            assertThat(first.connectNanos()).isNotNegative();
            assertThat(second.connectNanos()).isNotNegative();
            assertThat(server.requests()).hasSize(2);
        }
    }
}
