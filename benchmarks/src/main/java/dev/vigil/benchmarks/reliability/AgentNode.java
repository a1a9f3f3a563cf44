package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The trial's agent: {@code checks} cheap {@code tcp} checks against the harness's target, one data
 * directory for every incarnation. Each incarnation gets a fresh port for {@code /metrics}
 * ({@code --listen}), so a restart never waits for the old one's port.
 *
 * <p>The drain configuration is the same agent (name, token, data directory, journal settings) with
 * a single check due once a day: started after the trial, it ships what the journal still holds while
 * adding next to nothing, so its backlog can reach 0 and the journal be compared complete.
 */
final class AgentNode extends VigilNode {
    /** The agent's name on the collector. */
    static final String NAME = "reliability";
    /** Its bearer token: a loopback harness's, no secret. */
    static final String TOKEN = "reliability-harness-token-0123456789";

    static final String BACKLOG = "vigil_agent_journal_backlog_samples";
    static final String JOURNALED = "vigil_agent_samples_journaled_total";
    static final String ACKED = "vigil_agent_samples_acked_total";
    static final String DROPPED = "vigil_agent_samples_dropped_total";
    static final String SHIP_FAILURES = "vigil_agent_ship_failures_total";
    static final String REJECTED = "vigil_agent_samples_rejected_total";

    private final Launch launch;
    private final Path dataDir;
    private final Path config;
    private final Path drainConfig;
    private boolean draining;
    private int port;

    /**
     * An agent with its configuration in {@code dir} and its data in {@code dataDir}, shipping to
     * {@code collector}.
     *
     * @param journalYaml the {@code journal:} section of its configuration (with its newline), or empty
     */
    AgentNode(Launch launch, Path dir, Path dataDir, CollectorNode collector, TcpTarget target, int checks,
            Duration interval, String journalYaml) {
        super("agent", dir, List.of(JOURNALED, ACKED, DROPPED, SHIP_FAILURES, REJECTED));
        this.launch = launch;
        this.dataDir = dataDir;
        this.config = dir.resolve("agent.yaml");
        this.drainConfig = dir.resolve("agent-drain.yaml");
        String head = "agent:\n  name: " + NAME + "\n"
                + "collector:\n  url: " + collector.baseUri() + "\n  token: " + TOKEN + "\n"
                + "data_dir: " + dataDir + "\n"
                + journalYaml
                + "checks:\n";
        // A timeout well inside the interval: a probe never overlaps its next run.
        long timeoutMillis = Math.max(100, interval.toMillis() / 2);
        StringBuilder yaml = new StringBuilder(head);
        for (int i = 0; i < checks; i++) {
            yaml.append(String.format("  - id: tcp-%05d%n    type: tcp%n    target: %s%n    interval: %dms%n"
                    + "    timeout: %dms%n", i, target.address(), interval.toMillis(), timeoutMillis));
        }
        String drain = head + "  - id: drain-idle\n    type: tcp\n    target: " + target.address()
                + "\n    interval: 1d\n    timeout: 1s\n";
        try {
            Files.createDirectories(dataDir);
            Files.writeString(config, yaml);
            Files.writeString(drainConfig, drain);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's configuration in " + dir, e);
        }
    }

    /** The agent's data directory. */
    Path dataDir() {
        return dataDir;
    }

    /** Its journal, {@code <data_dir>/journal}. */
    Path journalDir() {
        return dataDir.resolve("journal");
    }

    /** From the next start on, run the drain configuration instead of the checks. */
    synchronized void drainMode() {
        draining = true;
    }

    @Override
    synchronized List<String> command() {
        port = Loopback.freePort();
        return launch.agentCommand(List.of("--config", (draining ? drainConfig : config).toString(),
                "--listen", Loopback.HOST + ":" + port));
    }

    @Override
    Map<String, String> environment() {
        return launch.agentEnv();
    }

    @Override
    synchronized URI baseUri() {
        return URI.create("http://" + Loopback.HOST + ":" + port);
    }
}
