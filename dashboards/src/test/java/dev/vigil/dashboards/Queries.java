package dev.vigil.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Every PromQL expression this module ships: each target of each Grafana dashboard panel and each
 * recording and alerting rule, with where it comes from, and Grafana's variables replaced by values
 * the way Grafana would before sending the query.
 */
final class Queries {
    /** The dashboards, the Prometheus example and the rules, relative to the module (Maven's working directory). */
    static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    static final Path PROMETHEUS = Path.of("prometheus");
    static final Path RULES = PROMETHEUS.resolve("rules").resolve("vigil-rules.yml");
    static final Path RULE_TESTS = PROMETHEUS.resolve("rules").resolve("vigil-rules.test.yml");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    /**
     * One expression.
     *
     * @param source where it is written, e.g. {@code vigil-service.json "MTTR" A} or {@code vigil-rules.yml alert VigilServiceDown}
     * @param expr   the PromQL, variables not yet replaced
     */
    record Query(String source, String expr) {
        Query {
            if (expr == null || expr.isBlank()) {
                throw new IllegalArgumentException(source + " has no expression");
            }
        }

        /**
         * The expression with each {@code $name} or {@code ${name}} replaced by {@code values.get(name)}.
         *
         * @throws IllegalArgumentException naming the variable when {@code values} has none for it
         */
        String expand(Map<String, String> values) {
            Matcher matcher = VARIABLE.matcher(expr);
            StringBuilder expanded = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null) {
                    throw new IllegalArgumentException(source + " uses $" + matcher.group(1)
                            + ", which has no value to substitute (known: " + values.keySet() + ")");
                }
                matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(expanded);
            return expanded.toString();
        }
    }

    private Queries() {
    }

    /** The dashboard files, by name. */
    static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    /**
     * The expression of every target of every panel of every dashboard (rows' nested panels included),
     * and of every Prometheus annotation (the changes drawn on the panels).
     */
    static List<Query> dashboards() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName() + " \"" + panel.path("title").asText() + "\" "
                            + target.path("refId").asText(), target.path("expr").asText()));
                }
            }
            for (JsonNode annotation : dashboard.path("annotations").path("list")) {
                if (annotation.has("expr")) {
                    queries.add(new Query(file.getFileName() + " annotation \"" + annotation.path("name").asText()
                            + "\"", annotation.path("expr").asText()));
                }
            }
        }
        return queries;
    }

    /** The panels of {@code dashboard}, with those inside collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The expression of every recording and alerting rule. */
    static List<Query> rules() throws IOException {
        List<Query> queries = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(RULES, StandardCharsets.UTF_8)) {
            Map<String, List<Map<String, Object>>> file = new Yaml().load(reader);
            for (Map<String, Object> group : file.get("groups")) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
                for (Map<String, Object> rule : rules) {
                    String name = rule.containsKey("alert") ? "alert " + rule.get("alert") : "record " + rule.get("record");
                    queries.add(new Query(RULES.getFileName() + " " + name, String.valueOf(rule.get("expr"))));
                }
            }
        }
        return queries;
    }
}
