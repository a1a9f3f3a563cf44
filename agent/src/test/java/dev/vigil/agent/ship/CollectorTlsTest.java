package dev.vigil.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.testsupport.target.StatusHttpServer;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's connection to an https collector, configured by the {@code collector.tls} block of its
 * file: a server on loopback that requires a client certificate from the test authority.
 */
class CollectorTlsTest {
    @TempDir
    Path dir;
    private final TestCertificateAuthority authority = TestCertificateAuthority.create();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private StatusHttpServer collector;

    @BeforeEach
    void startCollector() {
        collector = StatusHttpServer.healthyOverTls(authority.server().requireClientCertificate().build());
        authority.writeRootCertificate(dir.resolve("collector-ca.pem"));
        authority.writeClientCertificate(dir, "edge-1.agents.example.com");
    }

    @AfterEach
    void stop() {
        collector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shipsToATlsCollectorWithTheClientCertificateAloneAndNoToken() throws Exception {
        AgentConfig config = agent("""
                    tls:
                      ca_file: collector-ca.pem
                      cert_file: edge-1.agents.example.com.crt
                      key_file: edge-1.agents.example.com.key
                      server_name: localhost
                """);

        try (CollectorClient client = new CollectorClient(group, ShipperSettings.of(config.collector()))) {
            CollectorReply reply = client.post(new byte[] {1, 2, 3}).get(20, TimeUnit.SECONDS);

            assertThat(reply.status()).isEqualTo(200);
        }
        assertThat(collector.requests()).hasSize(1);
        assertThat(collector.requests().get(0).headers()).doesNotContainKey("authorization");
    }

    @Test
    void failsTheHandshakeWithoutTheClientCertificate() {
        AgentConfig config = agent("""
                    token: t
                    tls:
                      ca_file: collector-ca.pem
                """);

        try (CollectorClient client = new CollectorClient(group, ShipperSettings.of(config.collector()))) {
            assertThatThrownBy(() -> client.post(new byte[] {1}).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void refusesACollectorItsCaFileDoesNotTrust() {
        Path otherCa = TestCertificateAuthority.create().writeRootCertificate(dir.resolve("other-ca.pem"));
        AgentConfig config = agent("""
                    tls:
                      ca_file: %s
                      cert_file: edge-1.agents.example.com.crt
                      key_file: edge-1.agents.example.com.key
                """.formatted(otherCa.getFileName()));

        try (CollectorClient client = new CollectorClient(group, ShipperSettings.of(config.collector()))) {
            assertThatThrownBy(() -> client.post(new byte[] {1}).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(collector.requests()).isEmpty();
    }

    private AgentConfig agent(String collectorTls) {
        return AgentConfig.parse("agent.yaml", """
                agent:
                  name: edge-1
                collector:
                  url: %s
                %s
                checks:
                  - {id: db, type: tcp, target: 127.0.0.1:5432}
                """.formatted(collector.url("localhost", ""), collectorTls.stripTrailing().stripIndent().indent(2).stripTrailing()), Map.<String, String>of()::get,
                dir);
    }
}
