package dev.vigil.agent.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.probe.ProbeFactory;
import dev.vigil.agent.schedule.CheckScheduler;
import dev.vigil.agent.schedule.ScheduleListener;
import dev.vigil.agent.schedule.ScheduledCheck;
import dev.vigil.config.ConfigException;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TlsProbeSpec;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.testsupport.target.StatusHttpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying assignments to a running scheduler with real probes against loopback servers: only what
 * changed is touched.
 */
class AssignmentApplierTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private StatusHttpServer web;
    private StatusHttpServer db;
    private ProbeFactory probes;
    private CheckScheduler scheduler;

    @BeforeEach
    void start() {
        web = StatusHttpServer.healthy();
        db = StatusHttpServer.healthy();
        probes = ProbeFactory.withSystemDefaults(group);
        scheduler = new CheckScheduler(List.of(), group, InstantSource.system(), System::nanoTime,
                new ScheduleListener() {
                    @Override
                    public void sampleTaken(Sample sample) {
                        samples.add(sample);
                    }

                    @Override
                    public void runsSkipped(String checkId, int count) {
                    }
                });
    }

    @AfterEach
    void stop() {
        scheduler.close();
        probes.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        web.close();
        db.close();
    }

    private static Assignment document(String version, String... checks) {
        return Assignment.read("assignments.json", """
                {"agent": "edge-1", "version": "%s", "checks": [%s]}
                """.formatted(version, String.join(", ", checks)), "edge-1");
    }

    private static String tcp(String id, int port, String interval) {
        return """
                {"id": "%s", "type": "tcp", "target": "127.0.0.1:%d", "interval": "%s"}""".formatted(id, port, interval);
    }

    @Test
    void addsReplacesAndRemovesOnlyWhatChangedAndLeavesUnchangedChecksOnTheirSlots() {
        AssignmentApplier applier = new AssignmentApplier(scheduler, probes, Set.of());
        AssignmentApplier.Applied first = applier.apply(document("a1", tcp("web", web.port(), "200ms"),
                tcp("db", db.port(), "200ms")));
        scheduler.start();
        assertThat(first.added()).containsExactly("web", "db");
        await().atMost(DEADLINE).until(() -> okSamples("web").size() >= 3);
        ScheduledCheck webBefore = scheduler.checks().get("web");
        ScheduledCheck dbBefore = scheduler.checks().get("db");

        AssignmentApplier.Applied second = applier.apply(document("a2", tcp("web", web.port(), "200ms"),
                tcp("db", db.port(), "300ms"), tcp("cache", web.port(), "200ms")));

        assertThat(second.unchanged()).containsExactly("web");
        assertThat(second.replaced()).containsExactly("db");
        assertThat(second.added()).containsExactly("cache");
        assertThat(second.removed()).isEmpty();
        assertThat(applier.version()).contains("a2");
        assertThat(scheduler.checks().get("web")).as("the same runner, not a restarted one").isSameAs(webBefore);
        assertThat(scheduler.checks().get("db")).isNotSameAs(dbBefore);
        assertThat(scheduler.checks().get("db").interval()).isEqualTo(Duration.ofMillis(300));
        int webAtApply = okSamples("web").size();
        await().atMost(DEADLINE).until(() -> okSamples("web").size() >= webAtApply + 3
                && okSamples("cache").size() >= 2);

        AssignmentApplier.Applied third = applier.apply(document("a3", tcp("db", db.port(), "300ms")));

        assertThat(third.removed()).containsExactly("cache", "web");
        assertThat(third.unchanged()).containsExactly("db");
        assertThat(scheduler.checks()).containsOnlyKeys("db");
        List<Sample> webSamples = okSamples("web");
        for (int i = 1; i < webSamples.size(); i++) {
            assertThat(webSamples.get(i).scheduledEpochMillis() - webSamples.get(i - 1).scheduledEpochMillis())
                    .as("web's slots run on across the applies: sample %d", i).isEqualTo(200);
        }
    }

    @Test
    void aLocalCheckWinsOverAnAssignedCheckWithItsId() {
        ScheduledCheck local = new ScheduledCheck("web", Duration.ofSeconds(1), probes.create(
                new CheckConfig("web", Duration.ofSeconds(1), Duration.ofMillis(500),
                        TcpProbeSpec.connect("127.0.0.1", web.port()))));
        scheduler.schedule(local);
        AssignmentApplier applier = new AssignmentApplier(scheduler, probes, Set.of("web"));

        AssignmentApplier.Applied applied = applier.apply(document("b1", tcp("web", db.port(), "200ms"),
                tcp("db", db.port(), "200ms")));

        assertThat(applied.refused()).containsExactly("web");
        assertThat(applied.added()).containsExactly("db");
        assertThat(applied.running()).isEqualTo(1);
        assertThat(scheduler.checks().get("web")).isSameAs(local);
    }

    @Test
    void anAssignmentWhoseProbeCannotBeBuiltChangesNothing() throws IOException {
        AssignmentApplier applier = new AssignmentApplier(scheduler, probes, Set.of());
        applier.apply(document("c1", tcp("web", web.port(), "200ms")));
        ScheduledCheck webBefore = scheduler.checks().get("web");
        // Checks built in code skip the reader's file checks: a CA file that holds no certificate gets this far.
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        TlsSettings tls = new TlsSettings(true, Optional.of(notPem), Optional.empty(), Optional.empty(),
                Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13, Duration.ZERO);
        CheckConfig cert = new CheckConfig("cert", Duration.ofSeconds(1), Duration.ofMillis(500),
                new TlsProbeSpec("127.0.0.1", web.port(), tls, NetworkSettings.DEFAULT));
        List<AssignedCheck> checks = new ArrayList<>(document("c2", tcp("web", web.port(), "300ms")).checks());
        checks.add(new AssignedCheck(cert, Map.of("id", "cert", "type", "tls")));

        assertThatThrownBy(() -> applier.apply(new Assignment("c2", checks)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot use the TLS settings");

        assertThat(applier.version()).contains("c1");
        assertThat(scheduler.checks()).containsOnlyKeys("web");
        assertThat(scheduler.checks().get("web")).isSameAs(webBefore);
    }

    @Test
    void readsADocumentForThisAgentOnlyWithTheLocalChecksRules() {
        assertThatThrownBy(() -> Assignment.read("assignments.json", """
                {"agent": "edge-2", "version": "d1", "checks": []}
                """, "edge-1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent is for another agent (was 'edge-2'; this agent is 'edge-1') at assignments.json:1");
        assertThatThrownBy(() -> Assignment.read("assignments.json", """
                {
                  "agent": "edge-1",
                  "version": "d1",
                  "checks": [
                    {"id": "db", "type": "tcp", "target": "127.0.0.1:5432", "interval": "1s", "timeout": "2s"}
                  ]
                }
                """, "edge-1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("checks[0].timeout must be < interval 1s (was 2s) at assignments.json:5");
        assertThat(Assignment.read("assignments.json", """
                {"agent": "edge-1", "version": "d1", "checks": []}
                """, "edge-1")).isEqualTo(new Assignment("d1", List.of()));
    }

    private List<Sample> okSamples(String checkId) {
        return samples.stream()
                .filter(sample -> sample.checkId().equals(checkId) && sample.outcome() == Outcome.OK)
                .toList();
    }
}
