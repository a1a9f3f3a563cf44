package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.RecordedHttpRequest;
import dev.vigil.testsupport.target.RedirectingHttpServer;
import dev.vigil.testsupport.target.StallingServer;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpRedirectTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(CA.trustManagerFactory());

    private static ProbeResult run(HttpProbeSpec spec) throws Exception {
        return harness.run(spec, Duration.ofSeconds(5));
    }

    @Test
    void followsAChainOfRedirectsOnANewConnectionEachAndCountsThem() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            ProbeResult result = harness.get(server.url("/chain/3"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(server.requests()).extracting(RecordedHttpRequest::uri)
                    .containsExactly("/chain/3", "/chain/2", "/chain/1", "/chain/0");
            assertThat(server.requests()).allSatisfy(request ->
                    assertThat(request.headers()).containsEntry("connection", "close"));
            assertThat(ProbeFacts.value(result, "probe_http_redirects")).isEqualTo(3);
            assertThat(ProbeFacts.value(result, "probe_http_status_code")).isEqualTo(200);
        }
    }

    @Test
    void reportsTheFinalHopsPhasesButATotalCoveringEveryHop() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(301)) {
            ProbeResult result = harness.get(server.url("/chain/2"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.connectNanos()).isNotNegative();
            assertThat(result.firstByteNanos()).isNotNegative();
            double connectSeconds = ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "connect");
            assertThat(Math.round(connectSeconds * 1e9)).isGreaterThanOrEqualTo(result.connectNanos());
            assertThat(result.totalNanos()).isGreaterThan(result.connectNanos() + result.firstByteNanos());
        }
    }

    @Test
    void resolvesARelativeLocationAgainstTheCurrentUrl() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(307)) {
            ProbeResult result = harness.get(server.url("/relative/2"));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(server.requests()).extracting(RecordedHttpRequest::uri)
                    .containsExactly("/relative/2", "/relative/1", "/relative/0");
        }
    }

    @Test
    void failsWithTooManyRedirectsNamingTheChainWhenTheLimitIsPassed() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/chain/5")).withMaxRedirects(2));

            assertThat(result.outcome()).isEqualTo(Outcome.TOO_MANY_REDIRECTS);
            assertThat(result.detail()).isEqualTo("more than 2 redirects: " + server.url("/chain/5")
                    + " → 302 /chain/4 → 302 /chain/3 → 302 /chain/2");
            assertThat(result.statusCode()).isEqualTo(302);
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void followsTenRedirectsByDefaultButNotEleven() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            assertThat(harness.get(server.url("/chain/10")).outcome()).isEqualTo(Outcome.OK);
            assertThat(harness.get(server.url("/chain/11")).outcome()).isEqualTo(Outcome.TOO_MANY_REDIRECTS);
        }
    }

    @Test
    void detectsARedirectLoopBeforeTheLimit() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            ProbeResult result = harness.get(server.url("/loop/a"));

            assertThat(result.outcome()).isEqualTo(Outcome.TOO_MANY_REDIRECTS);
            assertThat(result.detail()).isEqualTo("redirect loop: " + server.url("/loop/a")
                    + " → 302 /loop/b → 302 /loop/a");
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void judgesTheRedirectItselfWhenRedirectsAreNotFollowed() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(301)) {
            ProbeResult notFollowing = run(HttpProbeSpec.get(server.url("/chain/1")).withMaxRedirects(0));
            ProbeResult expecting301 = run(HttpProbeSpec.get(server.url("/chain/1")).withMaxRedirects(0)
                    .withExpectStatus(new ExpectedStatus(List.of(new StatusRange(301, 301)))));

            assertThat(notFollowing.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            assertThat(notFollowing.detail()).isEqualTo("status 301 from " + server.url("/chain/1") + " not in [200-299]");
            assertThat(expecting301.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(expecting301, "probe_http_redirects")).isZero();
        }
    }

    @Test
    void turnsAPostIntoAGetWithoutBodyAfterA303() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(303)) {
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/chain/1")).withMethod(HttpMethod.POST)
                    .withBody("{\"q\":1}").withHeaders(List.of(new HttpHeader("Content-Type", "application/json")));
            ProbeResult result = run(spec);

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            List<RecordedHttpRequest> requests = server.requests();
            assertThat(requests.get(0).method()).isEqualTo("POST");
            assertThat(requests.get(0).body()).isEqualTo("{\"q\":1}");
            assertThat(requests.get(0).headers()).containsEntry("content-type", "application/json");
            assertThat(requests.get(1).method()).isEqualTo("GET");
            assertThat(requests.get(1).body()).isEmpty();
            assertThat(requests.get(1).headers()).doesNotContainKey("content-type");
        }
    }

    @Test
    void turnsAPostIntoAGetAfterA302AsBrowsersDo() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            run(HttpProbeSpec.get(server.url("/chain/1")).withMethod(HttpMethod.POST).withBody("x"));

            assertThat(server.requests()).extracting(RecordedHttpRequest::method).containsExactly("POST", "GET");
        }
    }

    @Test
    void repeatsAPostWithItsBodyAfterA307And308() throws Exception {
        for (int status : new int[] {307, 308}) {
            try (RedirectingHttpServer server = RedirectingHttpServer.start(status)) {
                run(HttpProbeSpec.get(server.url("/chain/1")).withMethod(HttpMethod.POST).withBody("payload"));

                assertThat(server.requests()).extracting(RecordedHttpRequest::method).containsExactly("POST", "POST");
                assertThat(server.requests()).extracting(RecordedHttpRequest::body).containsExactly("payload", "payload");
            }
        }
    }

    @Test
    void keepsAHeadRequestAHeadAfterA303() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(303)) {
            run(HttpProbeSpec.get(server.url("/chain/1")).withMethod(HttpMethod.HEAD));

            assertThat(server.requests()).extracting(RecordedHttpRequest::method).containsExactly("HEAD", "HEAD");
        }
    }

    @Test
    void sendsCredentialsOnlyToTheChecksOwnHost() throws Exception {
        try (CannedHttpServer other = CannedHttpServer.start(CannedHttpServer.Response.of(200));
                RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            URI elsewhere = URI.create("http://localhost:" + other.url("/").getPort() + "/landing");
            HttpProbeSpec spec = HttpProbeSpec.get(server.url("/away?to=" + encode(elsewhere)))
                    .withAuth(Optional.of(new HttpAuth.Bearer("s3cret")))
                    .withHeaders(List.of(new HttpHeader("Cookie", "session=1"), new HttpHeader("X-Trace", "on")));
            ProbeResult result = run(spec);

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(server.requests().get(0).headers())
                    .containsEntry("authorization", "Bearer s3cret")
                    .containsEntry("cookie", "session=1");
            RecordedHttpRequest landed = other.requests().get(0);
            assertThat(landed.headers()).doesNotContainKeys("authorization", "cookie")
                    .containsEntry("x-trace", "on")
                    .containsEntry("host", "localhost:" + elsewhere.getPort());
        }
    }

    @Test
    void followsARedirectFromHttpToHttpsAndReportsTheFinalResponseAsTls() throws Exception {
        try (StatusHttpServer secure = StatusHttpServer.healthyOverTls(CA.serverContext());
                RedirectingHttpServer server = RedirectingHttpServer.start(301)) {
            ProbeResult result = harness.get(server.url("/away?to=" + encode(secure.url("localhost", "/"))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.tlsNanos()).isNotNegative();
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isEqualTo(1);
            assertThat(ProbeFacts.value(result, "probe_http_redirects")).isEqualTo(1);
            assertThat(ProbeFacts.has(result, "probe_ssl_earliest_cert_expiry")).isTrue();
            assertThat(ProbeFacts.value(result, "probe_http_duration_seconds", "phase", "tls")).isPositive();
        }
    }

    @Test
    void judgesA3xxWithoutLocationAsTheFinalResponse() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            ProbeResult result = harness.get(server.url("/no-location"));

            assertThat(result.outcome()).isEqualTo(Outcome.STATUS_MISMATCH);
            assertThat(result.statusCode()).isEqualTo(302);
        }
    }

    @Test
    void reportsAnUnusableLocationAsProtocolError() throws Exception {
        try (RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            ProbeResult result = harness.get(server.url("/away?to=" + encode("ftp://files.test/x")));

            assertThat(result.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
            assertThat(result.detail()).isEqualTo("redirect 302 from " + server.url("/away?to=ftp%3A%2F%2Ffiles.test%2Fx")
                    + " leads to ftp://files.test/x, which is not an http(s) URL with a host");
        }
    }

    @Test
    void oneDeadlineCoversEveryHop() throws Exception {
        try (StallingServer stalling = StallingServer.start();
                RedirectingHttpServer server = RedirectingHttpServer.start(302)) {
            URI stalled = URI.create("http://127.0.0.1:" + stalling.port() + "/");
            ProbeResult result = harness.run(HttpProbeSpec.get(server.url("/away?to=" + encode(stalled))),
                    Duration.ofMillis(400));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("no response from 127.0.0.1:" + stalling.port() + " within 400ms");
            assertThat(result.totalNanos()).isBetween(Duration.ofMillis(400).toNanos(), Duration.ofSeconds(3).toNanos());
        }
    }

    private static String encode(Object url) {
        return URLEncoder.encode(url.toString(), StandardCharsets.UTF_8);
    }
}
