package dev.vigil.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static final Path BASE = Path.of("/etc/vigil");

    static String fixture(String name) throws IOException {
        try (InputStream in = AgentConfigTest.class.getResourceAsStream("/config/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static AgentConfig parse(String yaml) {
        return AgentConfig.parse("agent.yaml", yaml, Map.of("VIGIL_AGENT_TOKEN", "s3cret")::get, BASE);
    }

    @Test
    void readsEveryFieldOfAFullFile() throws IOException {
        AgentConfig config = parse(fixture("valid-full.yaml"));

        assertThat(config.name()).isEqualTo("demo-agent");
        assertThat(config.location()).isEqualTo("local");
        assertThat(config.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "demo", "team", "ops"));
        assertThat(config.collector().url()).isEqualTo(URI.create("http://127.0.0.1:9470"));
        assertThat(config.collector().token()).contains("s3cret");
        assertThat(config.collector().batchSize()).isEqualTo(250);
        assertThat(config.collector().ingestUrl()).isEqualTo(URI.create("http://127.0.0.1:9470/api/v1/ingest"));
        assertThat(config.dataDir()).isEqualTo(BASE.resolve("state"));
        assertThat(config.journalDir()).isEqualTo(BASE.resolve("state/journal"));
        assertThat(config.journal()).isEqualTo(new JournalSettings(JournalRoll.FIVE_MINUTELY, 256L << 20, 32L << 20,
                Duration.ofHours(2)));
        assertThat(config.listen().getHostString()).isEqualTo("127.0.0.1");
        assertThat(config.listen().getPort()).isZero();
        assertThat(config.evidence()).isEqualTo(new EvidenceSettings(true, 2048, Duration.ofMinutes(10)));

        CheckConfig web = config.checks().get(0);
        assertThat(web.id()).isEqualTo("web");
        assertThat(web.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(web.timeout()).isEqualTo(Duration.ofSeconds(5));
        HttpProbeSpec http = (HttpProbeSpec) web.probe();
        assertThat(http.method()).isEqualTo(HttpMethod.HEAD);
        assertThat(http.host()).isEqualTo("example.test");
        assertThat(http.port()).isEqualTo(8443);
        assertThat(http.tlsUrl()).isTrue();
        assertThat(http.expectStatus().ranges()).containsExactly(new StatusRange(200, 299), new StatusRange(301, 301));
        assertThat(http.expectStatus()).hasToString("[200-299, 301]");
        assertThat(http.expectStatus().accepts(301)).isTrue();
        assertThat(http.expectStatus().accepts(302)).isFalse();

        CheckConfig db = config.checks().get(1);
        assertThat(db.probe()).isEqualTo(TcpProbeSpec.connect("127.0.0.1", 15432));
        assertThat(db.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(db.timeout()).as("80%% of the interval when unset").isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void appliesDefaultsToAMinimalFile() throws IOException {
        AgentConfig config = parse(fixture("valid-minimal.yaml"));

        assertThat(config.location()).isEqualTo("default");
        assertThat(config.labels()).isEmpty();
        assertThat(config.collector().batchSize()).isEqualTo(500);
        assertThat(config.dataDir()).isEqualTo(BASE.resolve("data/agent"));
        assertThat(config.journal()).isEqualTo(JournalSettings.DEFAULT);
        assertThat(config.journal().roll()).isEqualTo(JournalRoll.HOURLY);
        assertThat(config.journal().maxBytes()).isEqualTo(1L << 30);
        assertThat(config.journal().minFreeBytes()).isEqualTo(64L << 20);
        assertThat(config.journal().retainAcked()).isZero();
        assertThat(config.listen()).isEqualTo(AgentConfig.DEFAULT_LISTEN);
        assertThat(config.evidence()).isEqualTo(new EvidenceSettings(true, 1024, Duration.ofMinutes(5)));
        CheckConfig api = config.checks().get(0);
        assertThat(api.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(api.timeout()).as("at most 10 s when unset").isEqualTo(Duration.ofSeconds(10));
        HttpProbeSpec http = (HttpProbeSpec) api.probe();
        assertThat(http.method()).isEqualTo(HttpMethod.GET);
        assertThat(http.expectStatus()).isEqualTo(ExpectedStatus.SUCCESS);
        assertThat(http.port()).isEqualTo(18080);
    }

    @Test
    void keepsAnAbsoluteDataDirectoryAsItIs() {
        AgentConfig config = parse("""
                agent: {name: a}
                collector: {url: "http://127.0.0.1:1", token: t}
                data_dir: /var/lib/vigil
                checks: [{id: db, type: tcp, target: "[::1]:5432"}]
                """);

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/vigil"));
        assertThat(config.checks().get(0).probe()).isEqualTo(TcpProbeSpec.connect("::1", 5432));
        assertThat(((TcpProbeSpec) config.checks().get(0).probe()).target()).isEqualTo("[::1]:5432");
    }

    @Test
    void neverShowsTheTokenInToString() throws IOException {
        AgentConfig config = parse(fixture("valid-full.yaml"));

        assertThat(config.toString()).doesNotContain("s3cret").contains("token=***");
    }

    @Test
    void recordsRefuseInvalidValuesBuiltInCode() {
        TcpProbeSpec tcp = TcpProbeSpec.connect("127.0.0.1", 1);
        assertThatThrownBy(() -> new CheckConfig("db", Duration.ofSeconds(1), Duration.ofSeconds(1), tcp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        CheckConfig db = new CheckConfig("db", Duration.ofSeconds(1), Duration.ofMillis(500), tcp);
        CollectorSettings collector = new CollectorSettings(URI.create("http://127.0.0.1:1"), "t", 10);
        assertThatThrownBy(() -> new AgentConfig("a", "default", Map.of(), collector, BASE, JournalSettings.DEFAULT,
                AgentConfig.DEFAULT_LISTEN, List.of(db, db)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("check id 'db' is used twice");
        assertThatThrownBy(() -> new StatusRange(300, 200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fetchesAssignmentsEveryThirtySecondsUnlessToldOtherwise() throws IOException {
        AgentConfig defaults = parse(fixture("valid-minimal.yaml"));
        AgentConfig tuned = parse("""
                agent: {name: a}
                collector:
                  url: "http://127.0.0.1:1/vigil/"
                  token: t
                  assignments: {enabled: false, poll_interval: 2m}
                checks: [{id: db, type: tcp, target: "127.0.0.1:5432"}]
                """);

        assertThat(defaults.collector().assignments()).isEqualTo(AssignmentSettings.DEFAULT);
        assertThat(defaults.collector().assignments().enabled()).isTrue();
        assertThat(defaults.collector().assignments().pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.assignmentsFile()).isEqualTo(BASE.resolve("data/agent/assignments.json"));
        assertThat(tuned.collector().assignments()).isEqualTo(new AssignmentSettings(false, Duration.ofMinutes(2)));
        assertThat(tuned.collector().assignmentsUrl()).isEqualTo(URI.create("http://127.0.0.1:1/vigil/api/v1/assignments"));
    }

    @Test
    void needsNoLocalCheckWhenTheCollectorAssignsThem() {
        AgentConfig absent = parse("""
                agent: {name: a}
                collector: {url: "http://127.0.0.1:1", token: t}
                """);
        AgentConfig empty = parse("""
                agent: {name: a}
                collector: {url: "http://127.0.0.1:1", token: t}
                checks: []
                """);

        assertThat(absent.checks()).isEmpty();
        assertThat(empty.checks()).isEmpty();
        CollectorSettings without = new CollectorSettings(URI.create("http://127.0.0.1:1"), Optional.of("t"), 10,
                TlsSettings.DEFAULT, AssignmentSettings.DISABLED);
        assertThatThrownBy(() -> new AgentConfig("a", "default", Map.of(), without, BASE, JournalSettings.DEFAULT,
                AgentConfig.DEFAULT_LISTEN, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an agent needs at least one check, or assignments from its collector");
    }
}
