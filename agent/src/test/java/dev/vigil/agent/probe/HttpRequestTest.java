package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.RecordedHttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpRequestTest {
    private static ProbeHarness harness;
    private static CannedHttpServer server;

    @BeforeAll
    static void start() {
        harness = new ProbeHarness(null);
        server = CannedHttpServer.start(CannedHttpServer.Response.of(204));
    }

    @AfterAll
    static void stop() {
        server.close();
        harness.close();
    }

    private static RecordedHttpRequest send(HttpProbeSpec spec) throws Exception {
        int before = server.requests().size();
        ProbeResult result = harness.run(spec, Duration.ofSeconds(5));
        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        List<RecordedHttpRequest> requests = server.requests();
        assertThat(requests).hasSize(before + 1);
        return requests.get(before);
    }

    @Test
    void sendsDefaultHeadersAndNoBodyForAPlainGet() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/plain")));

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.headers())
                .containsEntry("user-agent", "Vigil-Agent/0.1")
                .containsEntry("accept", "*/*")
                .containsEntry("connection", "close")
                .doesNotContainKey("authorization");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void sendsTheChecksHeadersOverridingDefaults() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/")).withHeaders(List.of(
                new HttpHeader("User-Agent", "blackbox-compatible"),
                new HttpHeader("Host", "vhost.example"),
                new HttpHeader("X-Tenant", "a"),
                new HttpHeader("Connection", "keep-alive"))));

        assertThat(request.headers())
                .containsEntry("user-agent", "blackbox-compatible")
                .containsEntry("host", "vhost.example")
                .containsEntry("x-tenant", "a")
                .containsEntry("connection", "close");
    }

    @Test
    void sendsTheBodyWithItsLength() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/submit")).withMethod(HttpMethod.PUT)
                .withBody("{\"ping\": true}").withHeaders(List.of(new HttpHeader("Content-Type", "application/json"))));

        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.body()).isEqualTo("{\"ping\": true}");
        assertThat(request.headers()).containsEntry("content-length", "14").containsEntry("content-type", "application/json");
    }

    @Test
    void sendsAnEmptyPostWithContentLengthZero() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/")).withMethod(HttpMethod.POST));

        assertThat(request.headers()).containsEntry("content-length", "0");
    }

    @Test
    void sendsBasicCredentials() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/"))
                .withAuth(Optional.of(new HttpAuth.Basic("probe", "pässword"))));

        assertThat(request.headers()).containsEntry("authorization", "Basic cHJvYmU6cMOkc3N3b3Jk");
    }

    @Test
    void sendsABearerToken() throws Exception {
        RecordedHttpRequest request = send(HttpProbeSpec.get(server.url("/"))
                .withAuth(Optional.of(new HttpAuth.Bearer("abc.def"))));

        assertThat(request.headers()).containsEntry("authorization", "Bearer abc.def");
    }
}
