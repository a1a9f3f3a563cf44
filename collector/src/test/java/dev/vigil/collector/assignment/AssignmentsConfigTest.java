package dev.vigil.collector.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.config.ConfigException;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code checks:} section of {@code collector.yaml}: the agent's check syntax plus {@code agents:}.
 * One fixture per rule in {@code assignment/invalid-*.yaml}, first line {@code # error: <exact message>}.
 */
class AssignmentsConfigTest {
    private static final String AGENTS = """
            agents:
              - name: edge-1
                token: t1
              - name: edge-2
                token: ${EDGE_2_TOKEN}
            """;

    static CollectorConfig parse(String yaml) {
        return CollectorConfig.parse("collector.yaml", yaml, Map.of("EDGE_2_TOKEN", "t2", "SECRET", "s3cret")::get,
                Path.of("/etc/vigil"));
    }

    @Test
    void readsChecksInTheAgentsSyntaxWithTheAgentsThatRunThem() {
        CollectorConfig config = parse(AGENTS + """
                checks:
                  - id: web
                    type: http
                    url: http://127.0.0.1:8080/health
                    headers: [{name: X-Probe, value: "${SECRET}"}]
                    interval: 10s
                    agents: [edge-1, edge-2]
                  - id: db
                    type: tcp
                    target: 127.0.0.1:5432
                    agents: [edge-2]
                """);

        Assignments assignments = config.assignments();
        assertThat(assignments.checks()).extracting(check -> check.check().id()).containsExactly("web", "db");
        AssignedCheck web = assignments.checks().get(0);
        assertThat(web.agents()).containsExactly("edge-1", "edge-2");
        assertThat(web.check().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(((HttpProbeSpec) web.check().probe()).headers().get(0).value()).isEqualTo("s3cret");
        assertThat(web.definition()).containsOnlyKeys("id", "type", "url", "headers", "interval");
        assertThat(web.definition().get("headers")).isEqualTo(List.of(Map.of("name", "X-Probe", "value", "s3cret")));
        assertThat(assignments.checks().get(1).check().probe()).isEqualTo(TcpProbeSpec.connect("127.0.0.1", 5432));
        assertThat(assignments.forAgent("edge-1")).extracting(check -> check.check().id()).containsExactly("web");
        assertThat(assignments.forAgent("edge-2")).extracting(check -> check.check().id())
                .containsExactly("web", "db");
    }

    @Test
    void aFileWithoutChecksAssignsNone() {
        assertThat(parse(AGENTS).assignments()).isEqualTo(Assignments.NONE);
    }

    @Test
    void theVersionFollowsTheContentOfAnAgentsChecksOnly() {
        String web = """
                checks:
                  - {id: web, type: http, url: "http://127.0.0.1:8080/", agents: [edge-1]}
                """;
        Assignments first = parse(AGENTS + web).assignments();
        Assignments again = parse(AGENTS + web).assignments();
        Assignments changed = parse(AGENTS + web.replace("8080", "8081")).assignments();
        Assignments added = parse(AGENTS + web + """
                  - {id: db, type: tcp, target: "127.0.0.1:5432", agents: [edge-2]}
                """).assignments();

        String version = AssignmentDocument.of("edge-1", first.forAgent("edge-1")).version();
        assertThat(AssignmentDocument.of("edge-1", again.forAgent("edge-1")).version()).isEqualTo(version);
        assertThat(AssignmentDocument.of("edge-1", changed.forAgent("edge-1")).version()).isNotEqualTo(version);
        assertThat(AssignmentDocument.of("edge-1", added.forAgent("edge-1")).version())
                .as("a check for another agent leaves edge-1's version alone").isEqualTo(version);
        assertThat(AssignmentDocument.of("edge-2", added.forAgent("edge-2")).version())
                .isNotEqualTo(AssignmentDocument.of("edge-2", first.forAgent("edge-2")).version());
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(Path.of(AssignmentsConfigTest.class.getResource("/assignment").toURI()))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("invalid-"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rejectsTheFixtureWithItsExactMessage(String fixture) throws IOException {
        String yaml;
        try (InputStream in = AssignmentsConfigTest.class.getResourceAsStream("/assignment/" + fixture)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String firstLine = yaml.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("# error: ");

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(firstLine.substring("# error: ".length()));
    }
}
