package dev.vigil.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentHttpServerTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.of("edge-1", 3, true, true));
    private final AgentHttpServer server = AgentHttpServer.start(new InetSocketAddress("127.0.0.1", 0), group,
            new PrometheusRegistry(), health::get);

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpResponse<String> healthz() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/healthz");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOkWhileTheShipperAndJournalThreadsRun() throws Exception {
        HttpResponse<String> response = healthz();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"agent\":\"edge-1\",\"journalBacklog\":3}");
    }

    @Test
    void answersDegradedWith503WhenTheShipperThreadIsNotRunning() throws Exception {
        health.set(Health.of("edge-1", 42, false, true));

        HttpResponse<String> response = healthz();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"degraded\",\"agent\":\"edge-1\",\"journalBacklog\":42,"
                + "\"reason\":\"shipper thread is not running\"}");
    }

    @Test
    void answersDegradedWith503WhenTheJournalThreadIsNotRunning() throws Exception {
        health.set(Health.of("edge-1", 0, true, false));

        HttpResponse<String> response = healthz();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"status\":\"degraded\",\"agent\":\"edge-1\",\"journalBacklog\":0,"
                + "\"reason\":\"journal thread is not running\"}");
    }

    @Test
    void namesEveryProblemWhenBothThreadsAreDown() {
        assertThat(Health.of("edge-1", 0, false, false).toJson()).isEqualTo("{\"status\":\"degraded\",\"agent\":"
                + "\"edge-1\",\"journalBacklog\":0,\"reason\":\"shipper thread is not running; journal thread is not running\"}");
    }
}
