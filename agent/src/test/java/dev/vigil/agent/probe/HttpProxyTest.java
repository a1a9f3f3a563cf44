package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.protocol.Outcome;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.ConnectProxyServer;
import dev.vigil.testsupport.target.Http2Server;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProxyTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    @RegisterExtension
    static final ProbeHarness harness = new ProbeHarness(CA.trustManagerFactory());

    private static ProbeResult run(HttpProbeSpec spec) throws Exception {
        return harness.run(spec, Duration.ofSeconds(5));
    }

    @Test
    void tunnelsAPlainHttpRequestThroughTheProxy() throws Exception {
        try (ConnectProxyServer proxy = ConnectProxyServer.open();
                StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/via-proxy")).withProxy(Optional.of(proxy.url(""))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.connectNanos()).isNotNegative();
            assertThat(proxy.tunnels()).containsExactly(
                    new ConnectProxyServer.Tunnel("127.0.0.1:" + server.port(), Optional.empty()));
            assertThat(server.requests()).extracting(StatusHttpServer.ReceivedRequest::uri).containsExactly("/via-proxy");
        }
    }

    @Test
    void tunnelsTlsThroughTheProxyWithTheTargetsNameUnresolved() throws Exception {
        try (ConnectProxyServer proxy = ConnectProxyServer.open();
                StatusHttpServer server = StatusHttpServer.healthyOverTls(CA.serverContext())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/"))
                    .withProxy(Optional.of(proxy.url(""))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.tlsNanos()).isNotNegative();
            assertThat(ProbeFacts.value(result, "probe_http_ssl")).isEqualTo(1);
            assertThat(proxy.tunnels()).extracting(ConnectProxyServer.Tunnel::target)
                    .containsExactly("localhost:" + server.port());
            assertThat(harness.dns.questions()).doesNotContain("localhost");
        }
    }

    @Test
    void speaksHttp2ThroughTheTunnel() throws Exception {
        try (ConnectProxyServer proxy = ConnectProxyServer.open();
                Http2Server server = Http2Server.overTls(CA.serverContextBuilder())) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("localhost", "/")).withProtocol(HttpProtocol.HTTP_2)
                    .withProxy(Optional.of(proxy.url(""))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(ProbeFacts.value(result, "probe_http_version")).isEqualTo(2);
        }
    }

    @Test
    void sendsTheCredentialsOfTheProxyUrl() throws Exception {
        try (ConnectProxyServer proxy = ConnectProxyServer.requiring("probe", "p@ss:word");
                StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withProxy(Optional.of(proxy.url("probe:p%40ss%3Aword"))));

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            String expected = "Basic " + Base64.getEncoder().encodeToString("probe:p@ss:word".getBytes(StandardCharsets.UTF_8));
            assertThat(proxy.tunnels()).extracting(ConnectProxyServer.Tunnel::authorization)
                    .containsExactly(Optional.of(expected));
        }
    }

    @Test
    void reportsAProxyThatRefusesTheTunnelAsConnectRefusedNamingItsAnswer() throws Exception {
        try (ConnectProxyServer proxy = ConnectProxyServer.requiring("probe", "secret");
                StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/")).withProxy(Optional.of(proxy.url(""))));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
            assertThat(result.detail()).startsWith("proxy 127.0.0.1:" + proxy.url("").getPort()
                    + " did not open a tunnel to 127.0.0.1:" + server.port() + ": ")
                    .contains("407 Proxy Authentication Required");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void reportsATargetTheProxyCannotReachAsConnectRefused() throws Exception {
        int closed = ClosedPort.find();
        try (ConnectProxyServer proxy = ConnectProxyServer.open()) {
            ProbeResult result = run(HttpProbeSpec.get(URI.create("http://127.0.0.1:" + closed + "/"))
                    .withProxy(Optional.of(proxy.url(""))));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
            assertThat(result.detail()).contains("502 Bad Gateway");
        }
    }

    @Test
    void reportsAProxyThatIsNotListeningAsConnectRefusedNamingTheProxy() throws Exception {
        int closed = ClosedPort.find();
        try (StatusHttpServer server = StatusHttpServer.healthy()) {
            ProbeResult result = run(HttpProbeSpec.get(server.url("/"))
                    .withProxy(Optional.of(URI.create("http://127.0.0.1:" + closed))));

            assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
            assertThat(result.detail()).isEqualTo("connection to 127.0.0.1:" + server.port() + " via proxy 127.0.0.1:"
                    + closed + " refused");
        }
    }
}
