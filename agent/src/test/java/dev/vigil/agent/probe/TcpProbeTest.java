package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.config.TcpProbeSpec;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.BacklogFullServer;
import dev.vigil.testsupport.target.ClosedPort;
import dev.vigil.testsupport.target.StallingServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TcpProbeTest {
    private static ProbeHarness harness;

    @BeforeAll
    static void startHarness() {
        harness = new ProbeHarness(null);
    }

    @AfterAll
    static void stopHarness() {
        harness.close();
    }

    @Test
    void succeedsWhenThePortAcceptsAndMeasuresOnlyConnect() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = harness.connect("127.0.0.1", server.port());

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.connectNanos()).isGreaterThanOrEqualTo(0);
            assertThat(result.tlsNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
            assertThat(result.statusCode()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 1);
        }
    }

    @Test
    void measuresDnsForAName() throws Exception {
        try (StallingServer server = StallingServer.start()) {
            ProbeResult result = harness.connect("web.test", server.port());

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.dnsNanos()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void reportsDnsFailedForAnUnknownName() throws Exception {
        ProbeResult result = harness.connect("nothing.test", 5432);

        assertThat(result.outcome()).isEqualTo(Outcome.DNS_FAILED);
        assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
    }

    @Test
    void reportsConnectRefusedForAClosedPort() throws Exception {
        int port = ClosedPort.find();
        ProbeResult result = harness.connect("127.0.0.1", port);

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(result.detail()).isEqualTo("connection to 127.0.0.1:" + port + " refused");
    }

    @Test
    void reportsConnectTimeoutWhenNobodyCompletesTheHandshake() throws Exception {
        try (BacklogFullServer server = BacklogFullServer.start()) {
            ProbeResult result = harness.run(TcpProbeSpec.connect("127.0.0.1", server.port()), Duration.ofMillis(300));

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECT_TIMEOUT);
            assertThat(result.connectNanos()).isEqualTo(Sample.NOT_MEASURED);
        }
    }
}
