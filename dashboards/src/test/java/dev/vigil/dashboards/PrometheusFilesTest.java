package dev.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.dashboards.Queries.Query;
import dev.vigil.testsupport.prometheus.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code promtool} (Debian's prometheus package, installed by {@code ./vigil test})
 * over the scrape configuration, the rules and their unit tests, and over every query of the Grafana
 * dashboards, so a typo in PromQL fails the build instead of a panel; and checks that the dashboards
 * take their data source from a variable and every rule has a unit test.
 */
class PrometheusFilesTest {
    /** What Grafana would substitute with every variable at a plausible value. */
    static final Map<String, String> VARIABLES = Map.of("service", "shop", "agent", ".*", "check", ".*",
            "__rate_interval", "1m", "__range", "1h");

    @TempDir
    Path scratch;

    @Test
    void scrapeConfigurationIsValid() throws Exception {
        assertPromtool("check", "config", Queries.PROMETHEUS.resolve("prometheus.yml").toString());
    }

    @Test
    void rulesAreValidAndPassTheirUnitTests() throws Exception {
        assertPromtool("check", "rules", Queries.RULES.toString());
        assertPromtool("test", "rules", Queries.RULE_TESTS.toString());
    }

    @Test
    void everyAlertIsTestedAndEveryRecordingRuleEvaluated() throws IOException {
        String tests = Files.readString(Queries.RULE_TESTS, StandardCharsets.UTF_8);
        List<Query> rules = Queries.rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(20);
        for (Query rule : rules) {
            String name = rule.source().substring(rule.source().lastIndexOf(' ') + 1);
            if (rule.source().contains(" alert ")) {
                // Firing and not firing: at least one expectation with alerts and one without.
                assertThat(tests).as(rule.source()).contains("alertname: " + name + "\n        exp_alerts: []",
                        "alertname: " + name + "\n        exp_alerts:\n          - exp_labels");
            } else {
                assertThat(tests).as(rule.source()).containsPattern("- expr: .*" + name.replace(":", "\\:"));
            }
        }
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        List<String> rules = new ArrayList<>();
        int panel = 0;
        for (Query query : Queries.dashboards()) {
            rules.add("      - record: dashboard:panel" + panel++ + "\n        expr: '"
                    + query.expand(VARIABLES).replace("'", "''") + "'");
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(60);
        Path file = scratch.resolve("dashboard-queries.yml");
        Files.writeString(file, "groups:\n  - name: dashboard\n    rules:\n" + String.join("\n", rules) + "\n",
                StandardCharsets.UTF_8);
        assertPromtool("check", "rules", file.toString());
    }

    @Test
    void everyDashboardTakesItsDataSourceFromAVariableAndFiltersByLabelValues() throws IOException {
        Set<String> uids = new HashSet<>();
        List<Path> files = Queries.dashboardFiles();
        assertThat(files).extracting(file -> file.getFileName().toString())
                .containsExactly("vigil-overview.json", "vigil-pipeline.json", "vigil-service.json");
        for (Path file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as("%s uid is unique", file).isTrue();
            assertThat(dashboard.path("schemaVersion").asInt()).as("%s schemaVersion", file).isGreaterThanOrEqualTo(36);
            Map<String, JsonNode> variables = new LinkedHashMap<>();
            dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asText(), variable));
            assertThat(variables.get("datasource")).as("%s datasource variable", file).isNotNull();
            assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
            assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
            assertThat(variables).as("%s filters", file).containsKey("agent");
            for (JsonNode variable : variables.values()) {
                if (!variable.path("name").asText().equals("datasource")) {
                    assertThat(variable.path("type").asText()).isEqualTo("query");
                    assertThat(variable.path("definition").asText()).as("%s $%s", file, variable.path("name"))
                            .startsWith("label_values(");
                    assertUsesTheVariable(file + " $" + variable.path("name").asText(), variable);
                }
            }
            for (JsonNode panel : Queries.panels(dashboard)) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " \"" + panel.path("title").asText() + "\"";
                assertThat(panel.path("targets")).as(where).isNotEmpty();
                assertUsesTheVariable(where, panel);
                panel.path("targets").forEach(target -> assertUsesTheVariable(where, target));
            }
        }
        assertThat(uids).contains("vigil-overview", "vigil-service", "vigil-pipeline");
    }

    private static void assertUsesTheVariable(String where, JsonNode node) {
        assertThat(node.path("datasource").path("type").asText()).as("%s datasource type", where).isEqualTo("prometheus");
        assertThat(node.path("datasource").path("uid").asText()).as("%s datasource uid", where)
                .isEqualTo("${datasource}");
    }

    private static void assertPromtool(String... args) throws IOException, InterruptedException {
        Promtool.Result result = Promtool.run(args);
        assertThat(result.succeeded()).as("%s:\n%s", result.command(), result.output()).isTrue();
    }
}
