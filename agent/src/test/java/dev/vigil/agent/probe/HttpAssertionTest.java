package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.HeaderAssertion;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.JsonAssertion;
import dev.vigil.config.check.TlsRequirement;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.CannedHttpServer.Response;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpAssertionTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    private static final String HEALTH_JSON = """
            {"status": "ok", "version": 3, "ready": true, "note": null,
             "checks": [{"name": "db", "state": "up"}, {"name": "cache", "state": "degraded"}]}""";
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(CA.trustManagerFactory());

    private static ProbeResult run(HttpProbeSpec spec) throws Exception {
        return harness.run(spec, Duration.ofSeconds(5));
    }

    private static JsonAssertion equalsAt(String pointer, String text) {
        return new JsonAssertion(pointer, Optional.of(text), Optional.empty());
    }

    @Test
    void passesWhenTheBodyMatchesEveryRequiredExpressionAndNoForbiddenOne() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("status: all green\nqueue: 3"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withBodyMustMatch(List.of(Pattern.compile("all green"), Pattern.compile("queue: \\d+")))
                    .withBodyMustNotMatch(List.of(Pattern.compile("error"))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_failed_due_to_regex")).isZero();
        }
    }

    @Test
    void failsWithBodyMismatchNamingTheMissingExpression() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("status: degraded"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/health"))
                    .withBodyMustMatch(List.of(Pattern.compile("status: (ok|green)"))));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_MISMATCH);
            assertThat(result.detail()).isEqualTo("body of " + server.url("/health")
                    + " does not match /status: (ok|green)/");
            assertThat(ProbeFacts.value(result, "probe_failed_due_to_regex")).isEqualTo(1);
        }
    }

    @Test
    void failsWithBodyMismatchNamingTheForbiddenExpressionThatMatched() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("OK but: Fatal error in module"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withBodyMustNotMatch(List.of(Pattern.compile("(?i)fatal"))));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_MISMATCH);
            assertThat(result.detail()).isEqualTo("body of " + server.url("/")
                    + " matches /(?i)fatal/, which body_must_not_match forbids");
        }
    }

    @Test
    void matchesAGzippedBodyAfterDecompressingIt() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("compressed hello").gzipped())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withBodyMustMatch(List.of(Pattern.compile("compressed hello")))
                    .withHeaderAssertions(List.of(new HeaderAssertion("Content-Encoding", Pattern.compile("^gzip$"),
                            true, false))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(16);
            // The announced length is the compressed one, as it came on the wire.
            assertThat(ProbeFacts.value(result, "probe_http_content_length")).isPositive().isNotEqualTo(16);
        }
    }

    @Test
    void decodesTheBodyInTheCharsetTheResponseNames() throws Exception {
        byte[] latin1 = "Grüße".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200)
                .header("Content-Type", "text/plain; charset=ISO-8859-1").body(latin1))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withBodyMustMatch(List.of(Pattern.compile("Grüße"))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void checksThatARequiredHeaderMatches() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200)
                .header("Cache-Control", "no-store").header("Cache-Control", "private"))) {
            HeaderAssertion privateCache = new HeaderAssertion("cache-control", Pattern.compile("^private$"), true, false);
            HeaderAssertion publicCache = new HeaderAssertion("Cache-Control", Pattern.compile("public"), true, false);

            ProbeResult passing = run(HttpProbeSpec.get(server.url("/")).withHeaderAssertions(List.of(privateCache)));
            ProbeResult failing = run(HttpProbeSpec.get(server.url("/")).withHeaderAssertions(List.of(publicCache)));

            assertThat(passing.outcome()).isEqualTo(Outcome.OK);
            assertThat(failing.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(failing.detail()).isEqualTo("response from " + server.url("/")
                    + ": header Cache-Control 'no-store', 'private' does not match /public/");
            assertThat(ProbeFacts.value(failing, "probe_failed_due_to_regex")).isEqualTo(1);
        }
    }

    @Test
    void failsWhenAForbiddenHeaderValueMatches() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).header("Server", "Apache/2.2.3"))) {
            HeaderAssertion noOldApache = new HeaderAssertion("Server", Pattern.compile("Apache/2\\.2"), false, true);
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withHeaderAssertions(List.of(noOldApache)));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).endsWith("header Server 'Apache/2.2.3' matches /Apache/2\\.2/, which it must not");
        }
    }

    @Test
    void failsAMissingHeaderUnlessItMayBeMissing() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200))) {
            Pattern hsts = Pattern.compile("max-age");
            ProbeResult required = run(HttpProbeSpec.get(server.url("/")).withHeaderAssertions(List.of(
                    new HeaderAssertion("Strict-Transport-Security", hsts, true, false))));
            ProbeResult optional = run(HttpProbeSpec.get(server.url("/")).withHeaderAssertions(List.of(
                    new HeaderAssertion("Strict-Transport-Security", hsts, true, true))));

            assertThat(required.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(required.detail()).endsWith("header Strict-Transport-Security is missing");
            assertThat(optional.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void checksJsonValuesByPointer() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.json(HEALTH_JSON))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withJsonAssertions(List.of(
                    equalsAt("/status", "ok"),
                    equalsAt("/version", "3"),
                    equalsAt("/ready", "true"),
                    equalsAt("/note", "null"),
                    equalsAt("/checks/0/state", "up"),
                    new JsonAssertion("/checks/1/name", Optional.empty(), Optional.of(Pattern.compile("^ca"))),
                    new JsonAssertion("/checks", Optional.empty(), Optional.empty()))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void failsAJsonValueThatDiffersNamingThePointerAndBothValues() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.json(HEALTH_JSON))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/h"))
                    .withJsonAssertions(List.of(equalsAt("/checks/1/state", "up"))));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).isEqualTo("response from " + server.url("/h")
                    + ": JSON at '/checks/1/state' is 'degraded', expected 'up'");
        }
    }

    @Test
    void failsAJsonValueThatDoesNotMatchOrDoesNotExist() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.json(HEALTH_JSON))) {
            ProbeResult mismatch = run(HttpProbeSpec.get(server.url("/")).withJsonAssertions(List.of(
                    new JsonAssertion("/version", Optional.empty(), Optional.of(Pattern.compile("^[4-9]$"))))));
            ProbeResult missing = run(HttpProbeSpec.get(server.url("/")).withJsonAssertions(List.of(
                    new JsonAssertion("/checks/2", Optional.empty(), Optional.empty()))));

            assertThat(mismatch.detail()).endsWith("JSON at '/version' is '3', which does not match /^[4-9]$/");
            assertThat(missing.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(missing.detail()).endsWith("JSON at '/checks/2' does not exist");
        }
    }

    @Test
    void failsABodyThatIsNotJsonNamingTheParseError() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("<html>maintenance</html>"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withJsonAssertions(List.of(equalsAt("/status", "ok"))));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).startsWith("response from " + server.url("/") + ": body is not JSON: Unexpected character ('<'")
                    .endsWith("at line 1, column 1");
        }
    }

    @Test
    void failsJsonWithTrailingGarbage() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.json("{\"status\": \"ok\"} trailing"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withJsonAssertions(List.of(equalsAt("/status", "ok"))));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).contains("body is not JSON");
        }
    }

    @Test
    void checksTheHttpVersionOfTheResponse() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).version("HTTP/1.0"))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withAcceptedProtocols(Set.of(HttpProtocol.HTTP_1_1)));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).isEqualTo("response from " + server.url("/")
                    + " came in HTTP/1.0, not in http_versions [http1.1]");
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(1.0);
        }
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult onlyHttp2 = run(HttpProbeSpec.get(server.url("/")).withAcceptedProtocols(Set.of(HttpProtocol.HTTP_2)));

            assertThat(onlyHttp2.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(onlyHttp2.detail()).endsWith("came in HTTP/1.1, not in http_versions [http2]");
        }
    }

    @Test
    void requiresOrForbidsTlsOnTheFinalResponse() throws Exception {
        try (StatusHttpServer plain = StatusHttpServer.healthy();
                StatusHttpServer secure = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult plainRequired = run(HttpProbeSpec.get(plain.url("/")).withTlsRequirement(TlsRequirement.REQUIRED));
            ProbeResult secureRequired = run(HttpProbeSpec.get(secure.url("localhost", "/"))
                    .withTlsRequirement(TlsRequirement.REQUIRED));
            ProbeResult secureForbidden = run(HttpProbeSpec.get(secure.url("localhost", "/"))
                    .withTlsRequirement(TlsRequirement.FORBIDDEN));

            assertThat(plainRequired.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(plainRequired.detail()).isEqualTo("final response from " + plain.url("/")
                    + " came without TLS, but require_tls is true");
            assertThat(secureRequired.outcome()).isEqualTo(Outcome.OK);
            assertThat(secureForbidden.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(secureForbidden.detail()).endsWith("came over TLS, but require_tls is false");
        }
    }

    @Test
    void reportsLastModifiedAsAFact() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200)
                .header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"))) {
            ProbeResult result = harness.get(server.url("/"));

            assertThat(ProbeFacts.value(result, "probe_http_last_modified_timestamp_seconds"))
                    .isEqualTo(Instant.parse("2015-10-21T07:28:00Z").getEpochSecond());
        }
    }

    @Test
    void reportsAnUnknownContentLengthAsMinusOne() throws Exception {
        try (CannedHttpServer chunked = CannedHttpServer.start(Response.of(200).body("abc")
                        .framed(CannedHttpServer.Framing.CHUNKED));
                CannedHttpServer untilClose = CannedHttpServer.start(Response.of(200).body("abcd")
                        .framed(CannedHttpServer.Framing.CLOSE))) {
            ProbeResult chunkedResult = harness.get(chunked.url("/"));
            ProbeResult untilCloseResult = harness.get(untilClose.url("/"));

            assertThat(chunkedResult.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(chunkedResult, "probe_http_content_length")).isEqualTo(-1);
            assertThat(ProbeFacts.value(chunkedResult, "probe_http_uncompressed_body_length")).isEqualTo(3);
            assertThat(untilCloseResult.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(untilCloseResult, "probe_http_content_length")).isEqualTo(-1);
            assertThat(ProbeFacts.value(untilCloseResult, "probe_http_uncompressed_body_length")).isEqualTo(4);
        }
    }

    @Test
    void skipsInterimResponsesAndJudgesTheFinalOne() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(Response.of(200).body("final").after(103))) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withBodyMustMatch(List.of(Pattern.compile("^final$"))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.statusCode()).isEqualTo(200);
        }
    }
}
