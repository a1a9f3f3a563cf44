package dev.vigil.collector.config;

import dev.vigil.collector.assignment.Assignments;
import dev.vigil.collector.assignment.AssignmentsReader;
import dev.vigil.collector.catalogue.CatalogueConfig;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The collector's configuration, read from {@code collector.yaml}.
 *
 * @param listen     the address the HTTP server binds, {@code host:port}; port 0 picks a free port
 * @param dataDir    the directory holding the journal and the outbox, absolute
 * @param agents     the agents allowed to ship samples, at least one, unique names and tokens
 * @param thresholds how many consecutive samples change a check's state
 * @param sinks      where incidents are delivered ({@code sinks:} and the older {@code webhooks:}), unique names
 * @param journalRetention how long the collector journal keeps an entry, at least
 *                   {@link #MIN_JOURNAL_RETENTION} so that a replay rebuilds every window
 * @param tls        the TLS listener, or empty to serve plain HTTP
 * @param ingest     the limits of one ingest request
 * @param catalogue  the services, SLAs, calendars and maintenance windows of the file, and the API's admin token
 * @param heartbeats the push checks that report with {@code POST /api/v1/heartbeat/<id>}, unique ids and tokens
 * @param assignments the checks assigned to agents ({@code checks:}), {@link Assignments#NONE} when none
 * @param incidents  priorities, follow-up, the sinks' egress policy and the inbound Alertmanager token
 * @param management incident KPI targets and the problem recurrence rule
 */
public record CollectorConfig(
        InetSocketAddress listen,
        Path dataDir,
        List<AgentConfig> agents,
        Thresholds thresholds,
        List<SinkConfig> sinks,
        Duration journalRetention,
        Optional<TlsConfig> tls,
        IngestLimits ingest,
        CatalogueConfig catalogue,
        List<HeartbeatConfig> heartbeats,
        Assignments assignments,
        IncidentConfig incidents,
        ManagementConfig management) {

    /** The listen address when none is configured. */
    public static final InetSocketAddress DEFAULT_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 9470);
    /** The data directory when none is configured, relative to the configuration file. */
    public static final String DEFAULT_DATA_DIR = "data/collector";

    /** The journal retention when none is configured. */
    public static final Duration DEFAULT_JOURNAL_RETENTION = Duration.ofDays(40);
    /**
     * The shortest journal retention: the longest SLA window (30 days) plus the oldest sample accepted
     * (35 days), so that no replay misses an entry a window still counts.
     */
    public static final Duration MIN_JOURNAL_RETENTION = Duration.ofDays(35);

    /** Validates the fields that parsing cannot check one node at a time. */
    public CollectorConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(assignments, "assignments");
        Objects.requireNonNull(journalRetention, "journalRetention");
        if (journalRetention.compareTo(MIN_JOURNAL_RETENTION) < 0) {
            throw new IllegalArgumentException("journal retention must be at least " + MIN_JOURNAL_RETENTION.toDays()
                    + " days (was " + journalRetention + ")");
        }
        agents = List.copyOf(agents);
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(incidents, "incidents");
        Objects.requireNonNull(management, "management");
        heartbeats = List.copyOf(heartbeats);
        HeartbeatConfig.requireConsistent(heartbeats, agents);
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("dataDir must be absolute (was " + dataDir + ")");
        }
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("at least one agent is required");
        }
        requireUnique(agents.stream().map(AgentConfig::name).toList(), "agent");
        requireUnique(sinks.stream().map(SinkConfig::name).toList(), "sink");
        boolean clientCertificates = tls.map(TlsConfig::clientCertificates).orElse(false);
        for (int i = 0; i < agents.size(); i++) {
            AgentConfig agent = agents.get(i);
            if (agent.certificateName().isPresent() && !clientCertificates) {
                throw new IllegalArgumentException("agent " + agent.name()
                        + " has a certificate name but tls.client_ca_file is not set");
            }
            for (int j = 0; j < i; j++) {
                AgentConfig other = agents.get(j);
                if (agent.tokenDigest().isPresent() && other.tokenDigest().isPresent()
                        && agent.tokenDigest().get().matches(other.tokenDigest().get())) {
                    throw new IllegalArgumentException("agents " + other.name() + " and " + agent.name()
                            + " share a token");
                }
                if (agent.certificateName().isPresent() && agent.certificateName().equals(other.certificateName())) {
                    throw new IllegalArgumentException("agents " + other.name() + " and " + agent.name()
                            + " share a certificate name");
                }
            }
        }
    }

    /** A configuration serving plain HTTP with the default ingest limits. */
    public CollectorConfig(InetSocketAddress listen, Path dataDir, List<AgentConfig> agents, Thresholds thresholds,
            List<WebhookConfig> webhooks, Duration journalRetention) {
        this(listen, dataDir, agents, thresholds, webhooks, journalRetention, Optional.empty(), IngestLimits.DEFAULT);
    }

    /**
     * A configuration without catalogue items, API admin token or heartbeat checks, for embedding and
     * tests: its webhooks may be on loopback (127.0.0.0/8 and ::1 are allowed to the sinks).
     */
    public CollectorConfig(InetSocketAddress listen, Path dataDir, List<AgentConfig> agents, Thresholds thresholds,
            List<WebhookConfig> webhooks, Duration journalRetention, Optional<TlsConfig> tls, IngestLimits ingest) {
        this(listen, dataDir, agents, thresholds, webhooks.stream().<SinkConfig>map(WebhookConfig::asSink).toList(),
                journalRetention, tls, ingest, CatalogueConfig.EMPTY, List.of(), Assignments.NONE, LOOPBACK_SINKS,
                ManagementConfig.DEFAULT);
    }

    /** The incident settings of the embedding constructors: defaults, with loopback open to sinks. */
    public static final IncidentConfig LOOPBACK_SINKS = new IncidentConfig(
            dev.vigil.collector.incident.IncidentPolicy.DEFAULT,
            new dev.vigil.collector.incident.delivery.EgressPolicy(List.of(
                    dev.vigil.collector.incident.delivery.EgressPolicy.Cidr.parse("127.0.0.0/8"),
                    dev.vigil.collector.incident.delivery.EgressPolicy.Cidr.parse("::1/128"))),
            Optional.empty());

    /**
     * Reads {@code file}, resolving {@code ${NAME}} from the environment and a relative
     * {@code data_dir} against the file's directory.
     *
     * @throws ConfigException naming the field, the value and the position of the first error
     */
    public static CollectorConfig load(Path file) {
        Path absolute = file.toAbsolutePath();
        return from(ConfigNode.load(absolute), absolute.getParent());
    }

    /**
     * Parses {@code yaml} as if read from a file called {@code fileName} in {@code baseDir}.
     *
     * @throws ConfigException naming the field, the value and the position of the first error
     */
    public static CollectorConfig parse(String fileName, String yaml, Function<String, String> env, Path baseDir) {
        return from(ConfigNode.parse(fileName, yaml, env), baseDir.toAbsolutePath());
    }

    /** This configuration listening on {@code address} instead. */
    public CollectorConfig withListen(InetSocketAddress address) {
        return new CollectorConfig(address, dataDir, agents, thresholds, sinks, journalRetention, tls, ingest,
                catalogue, heartbeats, assignments, incidents, management);
    }

    /** This configuration keeping its data in {@code directory} instead. */
    public CollectorConfig withDataDir(Path directory) {
        return new CollectorConfig(listen, directory.toAbsolutePath(), agents, thresholds, sinks, journalRetention,
                tls, ingest, catalogue, heartbeats, assignments, incidents, management);
    }

    /** This configuration with the ingest limits {@code limits} instead. */
    public CollectorConfig withIngest(IngestLimits limits) {
        return new CollectorConfig(listen, dataDir, agents, thresholds, sinks, journalRetention, tls, limits,
                catalogue, heartbeats, assignments, incidents, management);
    }

    private static CollectorConfig from(ConfigNode root, Path baseDir) {
        Set<String> known = new HashSet<>(Set.of("listen", "data_dir", "agents", "state", "webhooks", "sinks",
                "incidents", "journal", "tls", "ingest", "heartbeats", "checks"));
        known.addAll(CatalogueConfig.KEYS);
        known.addAll(ManagementConfig.KEYS);
        root.rejectUnknown(known);
        InetSocketAddress listen = root.listenAddress("listen", DEFAULT_LISTEN);
        Path dataDir = baseDir.resolve(dataDir(root)).normalize();
        Optional<TlsConfig> tls = root.find("tls").map(node -> TlsConfigReader.read(node, baseDir));
        List<AgentConfig> agents = agents(root, tls.map(TlsConfig::clientCertificates).orElse(false));
        Thresholds thresholds = root.find("state").map(CollectorConfig::thresholds).orElse(Thresholds.DEFAULT);
        List<SinkConfig> sinks = IncidentConfigReader.sinks(root);
        IncidentConfig incidents = IncidentConfigReader.incidents(root);
        Duration retention = root.find("journal").map(CollectorConfig::journalRetention)
                .orElse(DEFAULT_JOURNAL_RETENTION);
        IngestLimits ingest = root.find("ingest").map(CollectorConfig::ingest).orElse(IngestLimits.DEFAULT);
        CatalogueConfig catalogue = CatalogueConfig.read(root,
                Set.copyOf(agents.stream().map(AgentConfig::name).toList()));
        Assignments assignments = AssignmentsReader.read(root, agents.stream().map(AgentConfig::name).toList());
        return new CollectorConfig(listen, dataDir, agents, thresholds, sinks, retention, tls, ingest, catalogue,
                HeartbeatConfigReader.read(root, agents), assignments, incidents, ManagementConfig.read(root));
    }

    private static Duration journalRetention(ConfigNode journal) {
        journal.rejectUnknown(Set.of("retention"));
        Duration retention = journal.duration("retention", DEFAULT_JOURNAL_RETENTION);
        if (retention.compareTo(MIN_JOURNAL_RETENTION) < 0) {
            throw journal.get("retention").error("must be at least " + MIN_JOURNAL_RETENTION.toDays()
                    + "d, the longest SLA window plus the oldest sample accepted (was " + retention.toDays() + "d)");
        }
        return retention;
    }

    private static Path dataDir(ConfigNode root) {
        Optional<ConfigNode> node = root.find("data_dir");
        if (node.isEmpty()) {
            return Path.of(DEFAULT_DATA_DIR);
        }
        String text = node.get().text().trim();
        if (text.isEmpty()) {
            throw node.get().error("must not be empty");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw node.get().error("is not a valid path (was '" + text + "'): " + e.getReason());
        }
    }

    private static List<AgentConfig> agents(ConfigNode root, boolean clientCertificates) {
        ConfigNode list = root.get("agents");
        List<ConfigNode> items = list.items();
        if (items.isEmpty()) {
            throw list.error("must list at least one agent");
        }
        List<AgentConfig> agents = new ArrayList<>();
        Map<String, String> pathByName = new HashMap<>();
        Map<String, String> pathByCertificateName = new HashMap<>();
        List<TokenDigest> digests = new ArrayList<>();
        List<String> digestPaths = new ArrayList<>();
        for (ConfigNode item : items) {
            item.rejectUnknown(Set.of("name", "token", "token_sha256", "certificate_name", "tenant"));
            String name = name(item, pathByName);
            Optional<String> certificateName = certificateName(item, clientCertificates, pathByCertificateName);
            Optional<TokenDigest> digest = tokenDigest(item, clientCertificates, certificateName.isPresent());
            if (digest.isPresent()) {
                ConfigNode tokenNode = item.find("token").orElseGet(() -> item.get("token_sha256"));
                for (int i = 0; i < digests.size(); i++) {
                    if (digests.get(i).matches(digest.get())) {
                        throw tokenNode.error("is the same token as " + digestPaths.get(i)
                                + "; every agent needs its own token");
                    }
                }
                digests.add(digest.get());
                digestPaths.add(item.path());
            }
            String tenant = AgentConfig.DEFAULT_TENANT;
            if (item.has("tenant")) {
                tenant = item.string("tenant").trim();
                if (!AgentConfig.NAME.matcher(tenant).matches()) {
                    throw item.get("tenant").error("must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was '"
                            + tenant + "')");
                }
            }
            agents.add(new AgentConfig(name, digest, certificateName, tenant));
        }
        return agents;
    }

    private static Optional<TokenDigest> tokenDigest(ConfigNode item, boolean clientCertificates,
            boolean hasCertificateName) {
        Optional<ConfigNode> token = item.find("token");
        Optional<ConfigNode> tokenSha256 = item.find("token_sha256");
        if (token.isPresent() && tokenSha256.isPresent()) {
            throw item.error("must set token or token_sha256, not both");
        }
        if (token.isEmpty() && tokenSha256.isEmpty()) {
            if (hasCertificateName) {
                return Optional.empty();
            }
            throw item.error(clientCertificates ? "must set token, token_sha256 or certificate_name"
                    : "must set token or token_sha256");
        }
        return Optional.of(token.isPresent() ? TokenDigest.of(item.string("token")) : hexDigest(tokenSha256.get()));
    }

    private static Optional<String> certificateName(ConfigNode item, boolean clientCertificates,
            Map<String, String> pathByCertificateName) {
        if (!item.has("certificate_name")) {
            return Optional.empty();
        }
        ConfigNode node = item.get("certificate_name");
        if (!clientCertificates) {
            throw node.error("needs tls.client_ca_file, the authority that issues agents' client certificates");
        }
        String name = AgentConfig.certificateName(item.string("certificate_name"));
        if (!AgentConfig.CERTIFICATE_NAME.matcher(name).matches()) {
            throw node.error("must be a certificate's common name or DNS name: 1..253 characters of a-z, 0-9, "
                    + "'.', '_', '@' or '-' (was '" + name + "')");
        }
        String previous = pathByCertificateName.putIfAbsent(name, node.path());
        if (previous != null) {
            throw node.error("must be unique (was '" + name + "', as " + previous + ")");
        }
        return Optional.of(name);
    }

    private static TokenDigest hexDigest(ConfigNode node) {
        try {
            return TokenDigest.ofHex(node.text());
        } catch (IllegalArgumentException e) {
            // The value is not echoed: a token pasted here by mistake must not reach a log.
            throw node.error("must be 64 hexadecimal digits, the SHA-256 of the token");
        }
    }

    private static Thresholds thresholds(ConfigNode state) {
        state.rejectUnknown(Set.of("failures_to_open", "successes_to_close"));
        return new Thresholds(
                state.integer("failures_to_open", 1, Thresholds.MAX, Thresholds.DEFAULT.failuresToOpen()),
                state.integer("successes_to_close", 1, Thresholds.MAX, Thresholds.DEFAULT.successesToClose()));
    }

    private static IngestLimits ingest(ConfigNode ingest) {
        ingest.rejectUnknown(Set.of("max_body_bytes", "request_timeout", "idle_timeout", "max_in_flight"));
        IngestLimits defaults = IngestLimits.DEFAULT;
        return new IngestLimits(
                ingest.integer("max_body_bytes", IngestLimits.MIN_BODY_BYTES, IngestLimits.MAX_BODY_BYTES,
                        defaults.maxBodyBytes()),
                ingest.duration("request_timeout", defaults.requestTimeout()),
                ingest.duration("idle_timeout", defaults.idleTimeout()),
                ingest.integer("max_in_flight", 1, IngestLimits.MAX_IN_FLIGHT, defaults.maxInFlight()));
    }

    private static String name(ConfigNode item, Map<String, String> pathByName) {
        ConfigNode node = item.get("name");
        String name = item.string("name").trim();
        if (!AgentConfig.NAME.matcher(name).matches()) {
            throw node.error("must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was '" + name + "')");
        }
        String previous = pathByName.putIfAbsent(name, node.path());
        if (previous != null) {
            throw node.error("must be unique (was '" + name + "', as " + previous + ")");
        }
        return name;
    }

    private static void requireUnique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException(what + " name " + name + " is used twice");
            }
        }
    }
}
