package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.BlackboxAgent;
import dev.vigil.agent.http.AgentHttpServer;
import dev.vigil.agent.http.Health;
import dev.vigil.agent.probe.ProbeFactory;
import dev.vigil.testsupport.prometheus.Promtool;
import dev.vigil.testsupport.target.StallingServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vigil's {@code /probe} on a real HTTP endpoint: refusals, the exposition, debug output and the cap. */
class BlackboxEndpointTest {
    private static final String MODULES = """
            modules:
              http_2xx:
                prober: http
              tcp_connect:
                prober: tcp
              grpc:
                prober: grpc
              http_gzip:
                prober: http
                http:
                  compression: gzip
              slow:
                prober: http
                timeout: 2s
            """;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static LoopbackTargets targets;
    private static BlackboxAgent agent;

    @BeforeAll
    static void start() {
        targets = new LoopbackTargets();
        agent = BlackboxAgent.start(BlackboxConfig.parse("blackbox.yml", MODULES, Path.of(".")),
                new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        agent.close();
        targets.close();
    }

    private static HttpResponse<String> get(int port, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        return get(agent.httpAddress().getPort(), pathAndQuery, headers);
    }

    @Test
    void refusesAnUnknownModuleAsBlackboxExporterDoes() throws Exception {
        HttpResponse<String> response = get("/probe?module=nope&target=127.0.0.1:1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("Unknown module \"nope\"\n");
    }

    @Test
    void refusesARequestWithoutTargetAsBlackboxExporterDoes() throws Exception {
        HttpResponse<String> response = get("/probe?module=tcp_connect");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("Target parameter is missing\n");
    }

    @Test
    void refusesAScrapeTimeoutHeaderThatIsNoNumber() throws Exception {
        HttpResponse<String> response = get("/probe?module=tcp_connect&target=127.0.0.1:1",
                "X-Prometheus-Scrape-Timeout-Seconds", "soon");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("Failed to parse timeout from Prometheus header: strconv.ParseFloat:"
                + " parsing \"soon\": invalid syntax\n");
    }

    @Test
    void answersAModuleVigilCannotRunWith400NamingTheOptionAndLine() throws Exception {
        assertThat(get("/probe?module=grpc&target=127.0.0.1:1").body())
                .isEqualTo("modules.grpc.prober is grpc, which Vigil does not support at blackbox.yml:7\n");
        HttpResponse<String> gzip = get("/probe?module=http_gzip&target=127.0.0.1:1");
        assertThat(gzip.statusCode()).isEqualTo(400);
        assertThat(gzip.body()).isEqualTo("modules.http_gzip.http.compression is gzip: Vigil does not decompress"
                + " response bodies (leave compression unset or identity) at blackbox.yml:11\n");
    }

    @Test
    void probesWithTheHttp2xxModuleWhenNoneIsNamed() throws Exception {
        HttpResponse<String> response = get("/probe?target=127.0.0.1:" + targets.ok.port());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Exposition metrics = Exposition.parse(response.body());
        assertThat(metrics.value("probe_success")).isEqualTo(1);
        assertThat(metrics.value("probe_http_status_code")).isEqualTo(200);
        assertThat(metrics.value("probe_vigil_outcome{outcome=\"OK\"}")).isEqualTo(1);
        assertThat(metrics.value("probe_ip_protocol")).isEqualTo(4);
    }

    @Test
    void namesTheOutcomeOfAFailedProbe() throws Exception {
        HttpResponse<String> response = get("/probe?module=tcp_connect&target=127.0.0.1:" + targets.closedPort);

        Exposition metrics = Exposition.parse(response.body());
        assertThat(metrics.value("probe_success")).isZero();
        assertThat(metrics.value("probe_vigil_outcome{outcome=\"CONNECT_REFUSED\"}")).isEqualTo(1);
    }

    @Test
    void reportsATargetTheProberCannotUseAsAFailedProbeLikeBlackboxExporter() throws Exception {
        HttpResponse<String> response = get("/probe?module=tcp_connect&target=localhost&debug=true");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("probe_success 0", "probe_vigil_outcome{outcome=\"AGENT_ERROR\"} 1",
                "detail=\"Error splitting target address localhost: missing port in address\"");
    }

    @Test
    void answersWithMetricsPromtoolAccepts() throws Exception {
        HttpResponse<String> response = get("/probe?module=http_2xx&target=127.0.0.1:" + targets.ok.port());

        Promtool.Result lint = Promtool.checkMetrics(response.body());
        assertThat(lint.succeeded()).as(lint.output()).isTrue();
        assertThat(lint.output()).as(lint.output()).isBlank();
    }

    @Test
    void explainsTheRunInPlainTextWhenDebugIsTrue() throws Exception {
        HttpResponse<String> response = get("/probe?module=tcp_connect&target=127.0.0.1:" + targets.closedPort
                + "&debug=true");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body())
                .startsWith("Logs for the probe:\nmodule=\"tcp_connect\" target=\"127.0.0.1:" + targets.closedPort
                        + "\" level=info msg=\"Beginning probe\" probe=tcp timeout_seconds=119.5\n")
                .contains("level=error msg=\"Probe failed\" outcome=CONNECT_REFUSED detail=\"connection to 127.0.0.1:"
                        + targets.closedPort + " refused\"")
                .contains("\n\n\nMetrics that would have been returned:\n# HELP probe_dns_lookup_time_seconds")
                .contains("\n\n\nModule configuration:\nprober: tcp\ntimeout: 0s\nvigil_probe: TcpProbeSpec[");
    }

    @Test
    void takesTheShorterOfTheModuleTimeoutAndTheScrapeTimeout() throws Exception {
        assertThat(get("/probe?module=slow&target=127.0.0.1:1&debug=true").body())
                .contains("timeout_seconds=2.0");
        assertThat(get("/probe?module=slow&target=127.0.0.1:1&debug=true", "X-Prometheus-Scrape-Timeout-Seconds",
                "1.5").body()).contains("timeout_seconds=1.0");
    }

    @Test
    void keepsServingMetricsAndHealthBesideProbes() throws Exception {
        get("/probe?module=tcp_connect&target=127.0.0.1:" + targets.ok.port());

        assertThat(get("/healthz").body()).isEqualTo("{\"status\":\"ok\",\"agent\":\"vigil-blackbox\",\"journalBacklog\":0}");
        assertThat(get("/metrics").body()).contains("vigil_blackbox_probes_total{module=\"tcp_connect\",success=\"true\"}",
                "vigil_blackbox_requests_rejected_total");
    }

    @Test
    void answers503OverTheCapOfProbesInFlightWithoutWaiting() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (StallingServer stalling = StallingServer.start(); ProbeFactory probes = ProbeFactory.withSystemDefaults(group)) {
            BlackboxEndpoint endpoint = new BlackboxEndpoint(
                    BlackboxConfig.parse("blackbox.yml", MODULES, Path.of(".")), probes, 1, new PrometheusRegistry());
            AgentHttpServer server = AgentHttpServer.start(new InetSocketAddress("127.0.0.1", 0), group,
                    new PrometheusRegistry(), () -> new Health("cap", 0, List.of()), endpoint);
            try {
                int port = server.address().getPort();
                CompletableFuture<HttpResponse<String>> stalled = CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(port, "/probe?module=http_2xx&target=127.0.0.1:" + stalling.port(),
                                "X-Prometheus-Scrape-Timeout-Seconds", "3");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(5)).until(() -> stalling.connections() == 1);

                HttpResponse<String> over = get(port, "/probe?module=tcp_connect&target=127.0.0.1:" + stalling.port());

                assertThat(over.statusCode()).isEqualTo(503);
                assertThat(over.body()).isEqualTo("Too many probes in flight (1); try again later\n");
                HttpResponse<String> timedOut = stalled.get(10, TimeUnit.SECONDS);
                assertThat(Exposition.parse(timedOut.body()).value("probe_vigil_outcome{outcome=\"TIMEOUT\"}"))
                        .isEqualTo(1);
                assertThat(get(port, "/probe?module=tcp_connect&target=127.0.0.1:" + targets.ok.port()).statusCode())
                        .isEqualTo(200);
            } finally {
                server.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
