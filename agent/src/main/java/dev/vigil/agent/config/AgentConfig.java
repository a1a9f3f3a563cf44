package dev.vigil.agent.config;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import dev.vigil.config.check.CheckConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The agent's whole configuration, as read from its YAML file.
 *
 * @param name      the agent's name, {@code [A-Za-z0-9._-]{1,64}}
 * @param location  where the agent runs, e.g. a site or region; {@code default} when unset
 * @param labels    extra labels describing the agent, names {@code [a-zA-Z_][a-zA-Z0-9_]*}
 * @param collector where samples are shipped
 * @param dataDir   the directory of the journal ({@code <dataDir>/journal}), the acked position, the gap
 *                  log and the instance id
 * @param journal   how the journal uses its disk
 * @param listen    where {@code /metrics} and {@code /healthz} are served; may be unresolved
 * @param checks    the local checks, ids unique; at least one unless the collector assigns checks
 * @param evidence  what failed runs capture for the collector ({@code evidence:}, for every check)
 */
public record AgentConfig(
        String name,
        String location,
        Map<String, String> labels,
        CollectorSettings collector,
        Path dataDir,
        JournalSettings journal,
        InetSocketAddress listen,
        List<CheckConfig> checks,
        EvidenceSettings evidence) {

    /** The pattern an agent name must match. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The pattern a label name must match (Prometheus label names). */
    public static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** The location of an agent that names none. */
    public static final String DEFAULT_LOCATION = "default";
    /** The data directory of an agent that names none, relative to its configuration file. */
    public static final String DEFAULT_DATA_DIR = "data/agent";
    /** Where {@code /metrics} is served when {@code listen} is not set. */
    public static final InetSocketAddress DEFAULT_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 9471);

    /** Validates names, labels and that check ids are unique; copies the collections. */
    public AgentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(evidence, "evidence");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("agent name must match " + NAME + " (was '" + name + "')");
        }
        if (location.isBlank()) {
            throw new IllegalArgumentException("location must not be empty");
        }
        labels = Map.copyOf(labels);
        for (String label : labels.keySet()) {
            if (!LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("label name must match " + LABEL_NAME + " (was '" + label + "')");
            }
        }
        checks = List.copyOf(checks);
        if (checks.isEmpty() && !collector.assignments().enabled()) {
            throw new IllegalArgumentException("an agent needs at least one check, or assignments from its collector");
        }
        Set<String> ids = new HashSet<>();
        for (CheckConfig check : checks) {
            if (!ids.add(check.id())) {
                throw new IllegalArgumentException("check id '" + check.id() + "' is used twice");
            }
        }
    }

    /** A configuration with the default {@link EvidenceSettings}. */
    public AgentConfig(String name, String location, Map<String, String> labels, CollectorSettings collector,
            Path dataDir, JournalSettings journal, InetSocketAddress listen, List<CheckConfig> checks) {
        this(name, location, labels, collector, dataDir, journal, listen, checks, EvidenceSettings.DEFAULT);
    }

    /**
     * Reads the configuration file at {@code file}, resolving {@code ${NAME}} from the environment
     * and a relative {@code data_dir} against the file's directory.
     *
     * @throws ConfigException naming the field, the value and {@code file:line} of the first error
     */
    public static AgentConfig load(Path file) {
        Path baseDir = file.toAbsolutePath().getParent();
        return new AgentConfigReader(baseDir).read(ConfigNode.load(file));
    }

    /**
     * Parses {@code yaml}; {@code fileName} appears in error messages, {@code env} resolves variables
     * and a relative {@code data_dir} is resolved against {@code baseDir}.
     *
     * @throws ConfigException naming the field, the value and {@code fileName:line} of the first error
     */
    public static AgentConfig parse(String fileName, String yaml, Function<String, String> env, Path baseDir) {
        return new AgentConfigReader(baseDir).read(ConfigNode.parse(fileName, yaml, env));
    }

    /** This configuration with {@code /metrics} served on {@code address} instead. */
    public AgentConfig withListen(InetSocketAddress address) {
        return new AgentConfig(name, location, labels, collector, dataDir, journal, address, checks, evidence);
    }

    /** This configuration with its journal and acked position under {@code directory} instead. */
    public AgentConfig withDataDir(Path directory) {
        return new AgentConfig(name, location, labels, collector, directory, journal, listen, checks, evidence);
    }

    /** This configuration with the journal using its disk as {@code settings} say instead. */
    public AgentConfig withJournal(JournalSettings settings) {
        return new AgentConfig(name, location, labels, collector, dataDir, settings, listen, checks, evidence);
    }

    /** This configuration with failure evidence captured as {@code settings} say instead. */
    public AgentConfig withEvidence(EvidenceSettings settings) {
        return new AgentConfig(name, location, labels, collector, dataDir, journal, listen, checks, settings);
    }

    /** The journal's directory, {@code <dataDir>/journal}. */
    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    /** The last assignment fetched from the collector, {@code <dataDir>/assignments.json}. */
    public Path assignmentsFile() {
        return dataDir.resolve("assignments.json");
    }

    /** The file holding the shipper's acknowledged journal index, {@code <dataDir>/journal-acked}. */
    public Path ackedPositionFile() {
        return dataDir.resolve("journal-acked");
    }
}
