package dev.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testsupport.prometheus.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code promtool} (Debian's prometheus package, installed by {@code ./vigil test})
 * over the scrape configuration, the rules and their unit tests, and over every query of the Grafana
 * dashboard, so a typo in PromQL fails the build instead of a panel.
 */
class PrometheusFilesTest {
    private static final Path PROMETHEUS = Path.of("prometheus");
    private static final Path DASHBOARD = Path.of("grafana", "dashboards", "vigil-overview.json");

    @TempDir
    Path scratch;

    @Test
    void scrapeConfigurationIsValid() throws Exception {
        assertPromtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());
    }

    @Test
    void rulesAreValidAndPassTheirUnitTests() throws Exception {
        assertPromtool("check", "rules", PROMETHEUS.resolve("rules/vigil-rules.yml").toString());
        assertPromtool("test", "rules", PROMETHEUS.resolve("rules/vigil-rules.test.yml").toString());
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("vigil-overview");
        List<String> rules = new ArrayList<>();
        int panel = 0;
        for (JsonNode each : dashboard.path("panels")) {
            assertThat(each.path("datasource").path("uid").asText()).as("panel %s datasource", each.path("title"))
                    .isEqualTo("vigil-prometheus");
            for (JsonNode target : each.path("targets")) {
                // Grafana's $agent variable is not PromQL: substitute a value the way Grafana would.
                String expr = target.path("expr").asText().replace("$agent", ".*");
                rules.add("      - record: dashboard:panel" + panel++ + "\n        expr: '" + expr.replace("'", "''") + "'");
            }
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        Path file = scratch.resolve("dashboard-queries.yml");
        Files.writeString(file, "groups:\n  - name: dashboard\n    rules:\n" + String.join("\n", rules) + "\n",
                StandardCharsets.UTF_8);
        assertPromtool("check", "rules", file.toString());
    }

    private static void assertPromtool(String... args) throws IOException, InterruptedException {
        Promtool.Result result = Promtool.run(args);
        assertThat(result.succeeded()).as("%s:\n%s", result.command(), result.output()).isTrue();
    }
}
