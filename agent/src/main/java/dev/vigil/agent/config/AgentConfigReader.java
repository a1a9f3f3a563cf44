package dev.vigil.agent.config;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurationText;
import dev.vigil.config.HostPort;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a parsed agent file into an {@link AgentConfig}, with errors that point at the file and line. */
final class AgentConfigReader {
    private static final Set<String> ROOT_FIELDS = Set.of("agent", "collector", "data_dir", "listen", "checks");
    private static final Set<String> AGENT_FIELDS = Set.of("name", "location", "labels");
    private static final Set<String> COLLECTOR_FIELDS = Set.of("url", "token", "batch_size");
    private static final Set<String> HTTP_FIELDS =
            Set.of("id", "type", "url", "method", "expect_status", "interval", "timeout");
    private static final Set<String> TCP_FIELDS = Set.of("id", "type", "target", "interval", "timeout");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

    private final Path baseDir;

    AgentConfigReader(Path baseDir) {
        this.baseDir = baseDir;
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
        CollectorSettings collector = collector(root.get("collector"));
        Path dataDir = dataDir(root);
        InetSocketAddress listen = root.listenAddress("listen", AgentConfig.DEFAULT_LISTEN);
        List<CheckConfig> checks = checks(root.get("checks"));
        try {
            return new AgentConfig(name, location, labels, collector, dataDir, listen, checks);
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

    private static CollectorSettings collector(ConfigNode node) {
        node.rejectUnknown(COLLECTOR_FIELDS);
        URI url = node.httpUri("url");
        String token = node.string("token");
        int batchSize = node.integer("batch_size", 1, CollectorSettings.MAX_BATCH_SIZE,
                CollectorSettings.DEFAULT_BATCH_SIZE);
        return new CollectorSettings(url, token, batchSize);
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

    private static List<CheckConfig> checks(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("must list at least one check");
        }
        List<CheckConfig> checks = new ArrayList<>();
        Map<String, String> pathById = new HashMap<>();
        for (ConfigNode item : items) {
            CheckConfig check = check(item);
            String previous = pathById.putIfAbsent(check.id(), item.path());
            if (previous != null) {
                throw item.get("id").error("must be unique; '" + check.id() + "' is already used by " + previous);
            }
            checks.add(check);
        }
        return checks;
    }

    private static CheckConfig check(ConfigNode node) {
        ProbeType type = node.enumValue("type", ProbeType.class);
        node.rejectUnknown(switch (type) {
            case HTTP -> HTTP_FIELDS;
            case TCP -> TCP_FIELDS;
        });
        String id = node.string("id");
        if (!CheckConfig.ID.matcher(id).matches()) {
            throw node.get("id").error("must match " + CheckConfig.ID + " (was '" + id + "')");
        }
        Duration interval = node.duration("interval", CheckConfig.DEFAULT_INTERVAL);
        if (interval.compareTo(CheckConfig.MIN_INTERVAL) < 0) {
            throw node.get("interval").error("must be >= " + DurationText.format(CheckConfig.MIN_INTERVAL)
                    + " (was " + node.get("interval").text().trim() + ")");
        }
        Duration timeout = node.duration("timeout", CheckConfig.defaultTimeout(interval));
        if (timeout.compareTo(interval) >= 0) {
            throw node.get("timeout").error("must be < interval " + DurationText.format(interval)
                    + " (was " + node.get("timeout").text().trim() + ")");
        }
        ProbeSpec spec = switch (type) {
            case HTTP -> http(node);
            case TCP -> tcp(node);
        };
        return new CheckConfig(id, interval, timeout, spec);
    }

    private static HttpProbeSpec http(ConfigNode node) {
        URI url = node.httpUri("url");
        HttpMethod method = node.has("method") ? node.enumValue("method", HttpMethod.class) : HttpMethod.GET;
        ExpectedStatus expect = node.has("expect_status")
                ? expectedStatus(node.get("expect_status")) : ExpectedStatus.SUCCESS;
        return new HttpProbeSpec(url, method, expect);
    }

    private static ExpectedStatus expectedStatus(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("must list at least one status code or range");
        }
        List<StatusRange> ranges = new ArrayList<>();
        for (ConfigNode item : items) {
            String text = item.text().trim();
            Matcher matcher = STATUS.matcher(text);
            if (!matcher.matches()) {
                throw item.error("must be a status code like 204 or a range like 200-299 (was '" + text + "')");
            }
            int from = Integer.parseInt(matcher.group(1));
            int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
            if (from < 100 || to > 599 || from > to) {
                throw item.error("must be codes within 100..599, lowest first (was '" + text + "')");
            }
            ranges.add(new StatusRange(from, to));
        }
        return new ExpectedStatus(ranges);
    }

    private static TcpProbeSpec tcp(ConfigNode node) {
        ConfigNode target = node.get("target");
        InetSocketAddress address;
        try {
            address = HostPort.parse(target.text());
        } catch (IllegalArgumentException e) {
            throw target.error(e.getMessage());
        }
        // HostPort allows port 0, which means "any free port" when listening but is no port to connect to.
        if (address.getPort() < 1) {
            throw target.error("port must be 1..65535 (was " + address.getPort() + ")");
        }
        return new TcpProbeSpec(address.getHostString(), address.getPort());
    }
}
