package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.JsonAssertion;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.BodyStallingHttpServer;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.MidBodyResettingHttpServer;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TricklingHttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpBodyTest {
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(null);

    @Test
    void measuresASlowBodyAsTransferTime() throws Exception {
        try (TricklingHttpServer server = TricklingHttpServer.start(500, 100, Duration.ofMillis(50))) {
            ProbeResult result = harness.get(server.url("/slow"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(500);
            // Five chunks, each sent at least 50 ms after the one before: the last comes at least 250 ms
            // after the head, a lower bound the server guarantees (with room for a late first read).
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "transfer")).isGreaterThan(0.1);
        }
    }

    @Test
    void reportsTimeoutWhenTheBodyOutlastsTheDeadline() throws Exception {
        try (TricklingHttpServer server = TricklingHttpServer.start(10_000, 100, Duration.ofMillis(50))) {
            ProbeResult result = harness.run(HttpProbeSpec.get(server.url("/slow")), Duration.ofMillis(500));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("response incomplete from " + "127.0.0.1:" + server.url("/").getPort()
                    + " within 500ms");
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.firstByteNanos()).isNotNegative();
        }
    }

    @Test
    void reportsTimeoutWhenTheBodyStalls() throws Exception {
        try (BodyStallingHttpServer server = BodyStallingHttpServer.start()) {
            ProbeResult result = harness.run(HttpProbeSpec.get(server.url("/")), Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).startsWith("response incomplete from 127.0.0.1:");
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isEqualTo(10);
        }
    }

    @Test
    void reportsConnectionResetWhenTheServerResetsMidBody() throws Exception {
        try (MidBodyResettingHttpServer server = MidBodyResettingHttpServer.start()) {
            ProbeResult result = harness.get(server.url("/"));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECTION_RESET);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.detail()).startsWith("connection to 127.0.0.1:" + server.url("/").getPort());
        }
    }

    @Test
    void failsAnExaminedBodyLongerThanTheLimitWithoutKeepingIt() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, 64 << 10)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/")).withBodySizeLimitBytes(1024)
                    .withBodyMustMatch(List.of(Pattern.compile("x")));
            ProbeResult result = harness.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_TOO_LARGE);
            assertThat(result.detail()).endsWith("is longer than body_size_limit 1024 bytes");
        }
    }

    @Test
    void failsAnExaminedBodyBeyondTheTenMebibytesBodyChecksLookAt() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, ResponseBody.MAX_EXAMINED_BYTES + 1)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/huge"))
                    .withBodyMustNotMatch(List.of(Pattern.compile("error")));
            ProbeResult result = harness.run(spec, Duration.ofSeconds(10));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_TOO_LARGE);
            assertThat(result.detail()).isEqualTo("body of " + server.url("/huge") + " is longer than the 10485760 bytes"
                    + " (10 MiB) that body_must_match, body_must_not_match and expect_json examine");
        }
    }

    @Test
    void countsButDoesNotExamineABodyBeyondTenMebibytesWithoutBodyChecks() throws Exception {
        try (StatusHttpServer server = StatusHttpServer.answering(200, ResponseBody.MAX_EXAMINED_BYTES + 1)) {
            ProbeResult result = harness.run(HttpProbeSpec.get(server.url("/huge")), Duration.ofSeconds(10));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length"))
                    .isEqualTo(ResponseBody.MAX_EXAMINED_BYTES + 1);
        }
    }

    @Test
    void appliesTheLimitToTheDecompressedBody() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(200)
                .body("z".repeat(100_000)).gzipped())) {
            ProbeResult result = harness.run(HttpProbeSpec.get(server.url("/")).withBodySizeLimitBytes(50_000),
                    Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.BODY_TOO_LARGE);
        }
    }

    @Test
    void readsNoBodyForAHeadRequestAndJudgesOnlyTheHead() throws Exception {
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.json("{\"a\": 1}"))) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/")).withMethod(dev.vigil.config.check.HttpMethod.HEAD)
                    .withJsonAssertions(List.of(new JsonAssertion("/a", Optional.of("1"), Optional.empty())));
            ProbeResult result = harness.run(spec, Duration.ofSeconds(5));

            assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
            assertThat(result.detail()).endsWith("body is empty, not JSON");
            assertThat(ProbeFacts.value(result, "probe_http_uncompressed_body_length")).isZero();
        }
    }
}
