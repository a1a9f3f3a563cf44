package dev.vigil.agent.config;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurationText;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.CheckReader;
import dev.vigil.config.check.SettingsReader;
import dev.vigil.config.check.TlsSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a parsed agent file into an {@link AgentConfig}, with errors that point at the file and line. */
final class AgentConfigReader {
    private static final Set<String> ROOT_FIELDS = Set.of("agent", "collector", "data_dir", "journal", "listen",
            "checks", "evidence");
    private static final Set<String> AGENT_FIELDS = Set.of("name", "location", "labels");
    private static final Set<String> COLLECTOR_FIELDS = Set.of("url", "token", "batch_size", "tls", "assignments");
    private static final Set<String> ASSIGNMENTS_FIELDS = Set.of("enabled", "poll_interval");
    private static final Set<String> COLLECTOR_TLS_FIELDS = Set.of("ca_file", "cert_file", "key_file", "server_name");
    private static final Set<String> EVIDENCE_FIELDS = Set.of("enabled", "body_bytes", "every");
    private static final Set<String> JOURNAL_FIELDS = Set.of("roll", "max_size", "min_free", "retain_acked");

    private final Path baseDir;
    private final SettingsReader settings;
    private final CheckReader checkReader;

    AgentConfigReader(Path baseDir) {
        this.baseDir = baseDir;
        this.settings = new SettingsReader(baseDir);
        this.checkReader = CheckReader.local(baseDir);
    }

    AgentConfig read(ConfigNode root) {
        root.rejectUnknown(ROOT_FIELDS);
        ConfigNode agent = root.get("agent");
        agent.rejectUnknown(AGENT_FIELDS);
        String name = agent.string("name");
        if (!AgentConfig.NAME.matcher(name).matches()) {
            throw agent.get("name").error("must match " + AgentConfig.NAME + " (was '" + name + "')");
        }
        String location = agent.string("location", AgentConfig.DEFAULT_LOCATION);
        if (location.isBlank()) {
            throw agent.get("location").error("must not be empty");
        }
        Map<String, String> labels = labels(agent.find("labels"));
        CollectorSettings collector = collector(root.get("collector"), settings);
        Path dataDir = dataDir(root);
        JournalSettings journal = root.find("journal").map(AgentConfigReader::journal).orElse(JournalSettings.DEFAULT);
        InetSocketAddress listen = root.listenAddress("listen", AgentConfig.DEFAULT_LISTEN);
        EvidenceSettings evidence = root.find("evidence").map(AgentConfigReader::evidence)
                .orElse(EvidenceSettings.DEFAULT);
        // With assignments the collector may supply every check; without, the file must name one.
        List<CheckConfig> checks = collector.assignments().enabled() && !root.has("checks")
                ? List.of() : checks(root.get("checks"), collector.assignments().enabled());
        try {
            return new AgentConfig(name, location, labels, collector, dataDir, journal, listen, checks, evidence);
        } catch (IllegalArgumentException e) {
            throw root.error("is not a valid agent configuration: " + e.getMessage());
        }
    }

    private static Map<String, String> labels(Optional<ConfigNode> node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return labels;
        }
        for (Map.Entry<String, ConfigNode> entry : node.get().entries().entrySet()) {
            if (!AgentConfig.LABEL_NAME.matcher(entry.getKey()).matches()) {
                throw entry.getValue().error("is not a valid label name; names must match " + AgentConfig.LABEL_NAME);
            }
            labels.put(entry.getKey(), entry.getValue().text());
        }
        return labels;
    }

    private static CollectorSettings collector(ConfigNode node, SettingsReader settings) {
        node.rejectUnknown(COLLECTOR_FIELDS);
        URI url = node.httpUri("url");
        TlsSettings tls = collectorTls(node, url, settings);
        Optional<String> token = Optional.empty();
        if (node.has("token") || tls.certFile().isEmpty()) {
            // Without a client certificate the token is the agent's only credential: required.
            token = Optional.of(node.string("token"));
        }
        int batchSize = node.integer("batch_size", 1, CollectorSettings.MAX_BATCH_SIZE,
                CollectorSettings.DEFAULT_BATCH_SIZE);
        AssignmentSettings assignments = node.find("assignments").map(AgentConfigReader::assignments)
                .orElse(AssignmentSettings.DEFAULT);
        return new CollectorSettings(url, token, batchSize, tls, assignments);
    }

    private static AssignmentSettings assignments(ConfigNode node) {
        node.rejectUnknown(ASSIGNMENTS_FIELDS);
        AssignmentSettings defaults = AssignmentSettings.DEFAULT;
        Duration pollInterval = node.duration("poll_interval", defaults.pollInterval());
        if (pollInterval.compareTo(AssignmentSettings.MIN_POLL_INTERVAL) < 0) {
            throw node.get("poll_interval").error("must be >= "
                    + DurationText.format(AssignmentSettings.MIN_POLL_INTERVAL)
                    + " (was " + node.get("poll_interval").text().trim() + ")");
        }
        return new AssignmentSettings(node.bool("enabled", defaults.enabled()), pollInterval);
    }

    /**
     * The {@code collector.tls} block: the probes' {@code tls:} fields that make sense for the agent's
     * own connection, checked as a probe's files are.
     */
    private static TlsSettings collectorTls(ConfigNode collector, URI url, SettingsReader settings) {
        Optional<ConfigNode> found = collector.find("tls");
        if (found.isEmpty()) {
            return TlsSettings.DEFAULT;
        }
        ConfigNode tls = found.get();
        tls.rejectUnknown(COLLECTOR_TLS_FIELDS);
        if (!url.getScheme().equalsIgnoreCase("https")) {
            throw tls.error("needs an https:// url (was '" + url + "')");
        }
        return settings.tls(collector);
    }

    private static EvidenceSettings evidence(ConfigNode node) {
        node.rejectUnknown(EVIDENCE_FIELDS);
        EvidenceSettings defaults = EvidenceSettings.DEFAULT;
        return new EvidenceSettings(node.bool("enabled", defaults.enabled()),
                node.integer("body_bytes", 0, EvidenceSettings.MAX_BODY_BYTES, defaults.bodyBytes()),
                node.duration("every", defaults.every()));
    }

    private static JournalSettings journal(ConfigNode node) {
        node.rejectUnknown(JOURNAL_FIELDS);
        JournalSettings defaults = JournalSettings.DEFAULT;
        JournalRoll roll = node.find("roll").map(AgentConfigReader::roll).orElse(defaults.roll());
        long maxBytes = node.find("max_size").map(SettingsReader::byteCount).orElse(defaults.maxBytes());
        if (maxBytes < JournalSettings.MIN_MAX_BYTES) {
            throw node.get("max_size").error("must be at least 1MiB (was " + node.get("max_size").text().trim() + ")");
        }
        long minFree = node.find("min_free").map(SettingsReader::byteCount).orElse(defaults.minFreeBytes());
        if (minFree < JournalSettings.MIN_MIN_FREE_BYTES) {
            throw node.get("min_free").error("must be at least 1MiB (was " + node.get("min_free").text().trim() + ")");
        }
        Duration retainAcked = node.find("retain_acked").map(AgentConfigReader::retention)
                .orElse(defaults.retainAcked());
        return new JournalSettings(roll, maxBytes, minFree, retainAcked);
    }

    private static JournalRoll roll(ConfigNode node) {
        String text = node.text().trim();
        for (JournalRoll roll : JournalRoll.values()) {
            if (roll.configName().equals(text.toLowerCase(Locale.ROOT))) {
                return roll;
            }
        }
        List<String> names = new ArrayList<>();
        for (JournalRoll roll : JournalRoll.values()) {
            names.add(roll.configName());
        }
        throw node.error("must be one of " + String.join(", ", names) + " (was '" + text + "')");
    }

    private static Duration retention(ConfigNode node) {
        String text = node.text().trim();
        Duration duration;
        try {
            duration = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw node.error("is " + e.getMessage());
        }
        if (duration.isNegative()) {
            throw node.error("must be >= 0s (was " + text + ")");
        }
        return duration;
    }

    private Path dataDir(ConfigNode root) {
        String text = root.string("data_dir", AgentConfig.DEFAULT_DATA_DIR);
        if (text.isBlank()) {
            throw root.get("data_dir").error("must not be empty");
        }
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw root.get("data_dir").error("is not a valid path (was '" + text + "'): " + e.getReason());
        }
    }

    private List<CheckConfig> checks(ConfigNode node, boolean assigned) {
        List<ConfigNode> items = node.items();
        if (items.isEmpty() && !assigned) {
            throw node.error("must list at least one check");
        }
        return checkReader.checks(items, Set.of());
    }
}
