package dev.vigil.collector.config;

import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentPolicy;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.PriorityMatrix;
import dev.vigil.collector.incident.delivery.EgressPolicy;
import dev.vigil.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code incidents:}, {@code sinks:} and the older {@code webhooks:} of {@code collector.yaml}. */
final class IncidentConfigReader {
    private static final Set<String> COMMON = Set.of("name", "type", "timeout", "min_priority", "services", "kinds");
    private static final String MATRIX_SHAPE = " (rows are impact, columns urgency: high, medium, low)";
    // The Events API refuses any other severity with a 400, which would dead-letter every event.
    private static final List<String> PAGERDUTY_SEVERITIES = List.of("critical", "error", "warning", "info");

    private IncidentConfigReader() {
    }

    /** The {@code incidents:} section, or the defaults when it is absent. */
    static IncidentConfig incidents(ConfigNode root) {
        Optional<ConfigNode> found = root.find("incidents");
        if (found.isEmpty()) {
            return IncidentConfig.DEFAULT;
        }
        ConfigNode node = found.get();
        node.rejectUnknown(Set.of("priority", "evaluate_every", "remind_every", "burn_rate", "budget_exhausted",
                "damp_flapping", "egress", "alertmanager_token"));
        IncidentPolicy defaults = IncidentPolicy.DEFAULT;
        PriorityMatrix matrix = PriorityMatrix.DEFAULT;
        Map<String, Level> impactByTier = Map.of();
        Level defaultImpact = defaults.defaultImpact();
        Optional<ConfigNode> priority = node.find("priority");
        if (priority.isPresent()) {
            ConfigNode p = priority.get();
            p.rejectUnknown(Set.of("matrix", "impact_by_tier", "default_impact"));
            if (p.has("matrix")) {
                matrix = matrix(p.get("matrix"));
            }
            Map<String, Level> tiers = new LinkedHashMap<>();
            p.find("impact_by_tier").ifPresent(t -> t.entries().forEach((tier, level) -> tiers.put(tier, level(level))));
            impactByTier = tiers;
            if (p.has("default_impact")) {
                defaultImpact = level(p.get("default_impact"));
            }
        }
        Optional<Duration> remind = node.find("remind_every").map(n -> node.duration("remind_every"));
        if (remind.isPresent() && remind.get().compareTo(Duration.ofMinutes(1)) < 0) {
            throw node.get("remind_every").error("must be at least 1m (was " + node.get("remind_every").text().trim()
                    + ")");
        }
        IncidentPolicy policy = new IncidentPolicy(matrix, impactByTier, defaultImpact,
                node.duration("evaluate_every", defaults.evaluateEvery()), remind,
                node.bool("burn_rate", defaults.burnRate()), node.bool("budget_exhausted", defaults.budgetExhausted()),
                node.bool("damp_flapping", defaults.dampFlapping()));
        EgressPolicy egress = EgressPolicy.DEFAULT;
        Optional<ConfigNode> egressNode = node.find("egress");
        if (egressNode.isPresent()) {
            egressNode.get().rejectUnknown(Set.of("allow"));
            List<EgressPolicy.Cidr> allowed = new ArrayList<>();
            for (ConfigNode item : egressNode.get().list("allow")) {
                try {
                    allowed.add(EgressPolicy.Cidr.parse(item.text()));
                } catch (IllegalArgumentException e) {
                    throw item.error(e.getMessage());
                }
            }
            egress = new EgressPolicy(allowed);
        }
        Optional<Secret> token = node.find("alertmanager_token").map(IncidentConfigReader::secret);
        return new IncidentConfig(policy, egress, token);
    }

    /** The sinks of {@code sinks:} and {@code webhooks:} (generic webhooks), names unique across both. */
    static List<SinkConfig> sinks(ConfigNode root) {
        List<SinkConfig> sinks = new ArrayList<>();
        Map<String, String> pathByName = new HashMap<>();
        for (ConfigNode item : root.list("webhooks")) {
            item.rejectUnknown(Set.of("name", "url", "timeout", "secret", "secrets"));
            sinks.add(webhook(item, settings(item, pathByName)));
        }
        for (ConfigNode item : root.list("sinks")) {
            String type = item.string("type").trim().toLowerCase(Locale.ROOT);
            SinkSettings settings;
            SinkConfig sink = switch (type) {
                case "webhook" -> {
                    item.rejectUnknown(union(Set.of("url", "secret", "secrets")));
                    yield webhook(item, settings(item, pathByName));
                }
                case "pagerduty" -> {
                    item.rejectUnknown(union(Set.of("url", "routing_key", "severity")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.PagerDuty(settings, uri(item, "url", SinkConfig.PagerDuty.DEFAULT_URL),
                            secret(item.get("routing_key")), byPriority(item, "severity", PAGERDUTY_SEVERITIES));
                }
                case "opsgenie", "jsm" -> {
                    item.rejectUnknown(union(Set.of("base_url", "api_key", "priority", "responders")));
                    settings = settings(item, pathByName);
                    List<String> responders = new ArrayList<>();
                    item.list("responders").forEach(r -> responders.add(r.text().trim()));
                    yield new SinkConfig.Opsgenie(settings, uri(item, "base_url",
                            type.equals("jsm") ? SinkConfig.Opsgenie.JSM_URL : SinkConfig.Opsgenie.DEFAULT_URL),
                            secret(item.get("api_key")), byPriority(item, "priority", List.of()), responders);
                }
                case "alertmanager" -> {
                    item.rejectUnknown(union(Set.of("url", "resend_every", "severity", "bearer_token")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.Alertmanager(settings, item.httpUri("url"),
                            item.duration("resend_every", SinkConfig.Alertmanager.DEFAULT_RESEND),
                            byPriority(item, "severity", List.of()),
                            item.find("bearer_token").map(IncidentConfigReader::secret));
                }
                case "servicenow" -> {
                    item.rejectUnknown(union(Set.of("instance_url", "username", "password", "table",
                            "assignment_group", "resolved_state", "close_code")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.ServiceNow(settings, item.httpUri("instance_url"), item.string("username"),
                            secret(item.get("password")), item.string("table", "incident"),
                            item.find("assignment_group").map(n -> n.text().trim()),
                            item.string("resolved_state", "6"), item.string("close_code", "Solved (Permanently)"));
                }
                case "jira" -> {
                    item.rejectUnknown(union(Set.of("base_url", "project", "issue_type", "user", "token",
                            "resolve_transition", "priority")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.Jira(settings, item.httpUri("base_url"), item.string("project"),
                            item.string("issue_type", "Bug"), item.string("user"), secret(item.get("token")),
                            item.string("resolve_transition", "Done"), byPriority(item, "priority", List.of()));
                }
                case "slack" -> {
                    item.rejectUnknown(union(Set.of("webhook_url")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.Slack(settings, secretUrl(item.get("webhook_url")));
                }
                case "teams" -> {
                    item.rejectUnknown(union(Set.of("webhook_url")));
                    settings = settings(item, pathByName);
                    yield new SinkConfig.Teams(settings, secretUrl(item.get("webhook_url")));
                }
                default -> throw item.get("type").error("must be one of webhook, pagerduty, opsgenie, jsm, "
                        + "alertmanager, servicenow, jira, slack, teams (was '" + type + "')");
            };
            sinks.add(sink);
        }
        return sinks;
    }

    private static SinkConfig.Webhook webhook(ConfigNode item, SinkSettings settings) {
        if (item.has("secret") && item.has("secrets")) {
            throw item.get("secrets").error("cannot be combined with secret: list every key under secrets");
        }
        List<WebhookSecret> secrets = new ArrayList<>();
        item.find("secret").ifPresent(node -> secrets.add(webhookSecret(node)));
        item.list("secrets").forEach(node -> secrets.add(webhookSecret(node)));
        return new SinkConfig.Webhook(settings, item.httpUri("url"), secrets);
    }

    private static WebhookSecret webhookSecret(ConfigNode node) {
        String text = node.text();
        if (text.isBlank()) {
            throw node.error("must not be empty (is its environment variable set?)");
        }
        try {
            return WebhookSecret.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static SinkSettings settings(ConfigNode item, Map<String, String> pathByName) {
        ConfigNode nameNode = item.get("name");
        String name = item.string("name").trim();
        if (!AgentConfig.NAME.matcher(name).matches()) {
            throw nameNode.error("must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was '" + name + "')");
        }
        String previous = pathByName.putIfAbsent(name, nameNode.path());
        if (previous != null) {
            throw nameNode.error("must be unique among sinks and webhooks (was '" + name + "', as " + previous + ")");
        }
        Priority minPriority = item.has("min_priority") ? priority(item.get("min_priority")) : Priority.P5;
        Set<String> services = new HashSet<>();
        item.list("services").forEach(s -> services.add(s.text().trim()));
        Set<IncidentKind> kinds = new HashSet<>();
        for (ConfigNode kind : item.list("kinds")) {
            try {
                kinds.add(IncidentKind.valueOf(kind.text().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw kind.error("must be one of outage, burn_rate, budget_exhausted, alert (was '" + kind.text() + "')");
            }
        }
        return new SinkSettings(name, item.duration("timeout", SinkSettings.DEFAULT_TIMEOUT), minPriority, services,
                kinds);
    }

    /** A priority → tool value map; {@code allowed} lists the tool's values, or is empty when any goes. */
    private static Map<Priority, String> byPriority(ConfigNode item, String key, List<String> allowed) {
        Map<Priority, String> map = new EnumMap<>(Priority.class);
        item.find(key).ifPresent(node -> node.entries().forEach((p, value) -> {
            Priority priority;
            try {
                priority = Priority.valueOf(p.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // The value's node carries the key's path and line.
                throw value.error("is not a priority (keys must be P1..P5)");
            }
            String text = value.text().trim();
            if (text.isEmpty()) {
                throw value.error("must not be empty");
            }
            if (!allowed.isEmpty() && !allowed.contains(text)) {
                throw value.error("must be one of " + String.join(", ", allowed) + " (was '" + text + "')");
            }
            map.put(priority, text);
        }));
        return map;
    }

    private static PriorityMatrix matrix(ConfigNode node) {
        Map<Level, Map<Level, Priority>> cells = new EnumMap<>(Level.class);
        Map<Level, ConfigNode> rows = new EnumMap<>(Level.class);
        node.entries().forEach((impact, row) -> {
            Map<Level, Priority> cellsOfRow = new EnumMap<>(Level.class);
            row.entries().forEach((urgency, priority) -> cellsOfRow.put(matrixLevel(urgency, priority),
                    priority(priority)));
            Level level = matrixLevel(impact, row);
            cells.put(level, cellsOfRow);
            rows.put(level, row);
        });
        for (Level impact : Level.values()) {
            if (!rows.containsKey(impact)) {
                throw node.error("has no row for impact " + impact.label() + MATRIX_SHAPE);
            }
            for (Level urgency : Level.values()) {
                if (!cells.get(impact).containsKey(urgency)) {
                    throw rows.get(impact).error("has no priority for urgency " + urgency.label() + MATRIX_SHAPE);
                }
            }
        }
        return new PriorityMatrix(cells);
    }

    /** A level written as a key of the matrix; {@code value}, the key's value, carries its path and line. */
    private static Level matrixLevel(String text, ConfigNode value) {
        try {
            return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw value.error("is not a level" + MATRIX_SHAPE);
        }
    }

    private static Level level(ConfigNode node) {
        String text = node.text();
        try {
            return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw node.error("must be high, medium or low (was '" + text + "')");
        }
    }

    private static Priority priority(ConfigNode node) {
        try {
            return Priority.valueOf(node.text().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw node.error("must be P1..P5 (was '" + node.text() + "')");
        }
    }

    private static Secret secret(ConfigNode node) {
        try {
            return Secret.of(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** A webhook URL that is itself a secret: checked, but never echoed in the message. */
    private static Secret secretUrl(ConfigNode node) {
        Secret secret = secret(node);
        try {
            URI uri = new URI(secret.reveal());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw node.error("must be an absolute http(s) URL (value not shown: it is a secret)");
            }
        } catch (URISyntaxException e) {
            throw node.error("is not a URL (value not shown: it is a secret)");
        }
        return secret;
    }

    private static URI uri(ConfigNode item, String key, URI fallback) {
        return item.has(key) ? item.httpUri(key) : fallback;
    }

    private static Set<String> union(Set<String> specific) {
        Set<String> all = new HashSet<>(COMMON);
        all.addAll(specific);
        return all;
    }
}
