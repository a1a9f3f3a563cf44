package dev.vigil.benchmarks.probes;

import dev.vigil.agent.journal.JournalReader;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Vigil agent in its natural mode: its own process, its own configuration of checks probing on
 * their schedule, its own journal, shipping to the run's collector. What it measured is read from
 * its journal once it has stopped, with the agent's own journal classes.
 */
final class VigilAgent {
    private final String name;
    private final ChildProcess process;
    private final Path journal;

    private VigilAgent(String name, ChildProcess process, Path journal) {
        this.name = name;
        this.process = process;
        this.journal = journal;
    }

    /**
     * One check of the agent's configuration.
     *
     * @param id       the check id
     * @param protocol what it probes
     * @param interval how often
     * @param timeout  its timeout, shorter than {@code interval}
     */
    record Check(String id, ProbeProtocol protocol, Duration interval, Duration timeout) {
    }

    /**
     * Starts agent {@code name} with {@code checks} against {@code targets}, shipping to
     * {@code collector}, with the tuned JVM flags or the launcher's alone; returns once it is healthy.
     */
    static VigilAgent start(BenchSettings settings, String name, List<Check> checks, NginxTargets targets,
            VigilCollector collector, boolean tuned, Children children) {
        Path dir = settings.workDir().resolve("agent-" + name);
        int port = Loopback.freePort();
        StringBuilder yaml = new StringBuilder()
                .append("agent:\n  name: ").append(name).append('\n')
                .append("collector:\n  url: ").append(collector.baseUri()).append('\n')
                .append("  token: ").append(VigilCollector.token(name)).append('\n')
                .append("data_dir: ").append(dir.resolve("data")).append('\n')
                .append("listen: ").append(Loopback.HOST).append(':').append(port).append('\n')
                .append("checks:\n");
        for (Check check : checks) {
            yaml.append("  - id: ").append(check.id()).append('\n')
                    .append(check.protocol().vigilCheckFields(targets))
                    .append("    interval: ").append(check.interval().toMillis()).append("ms\n")
                    .append("    timeout: ").append(check.timeout().toMillis()).append("ms\n");
        }
        Path config = dir.resolve("agent.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ChildProcess process = children.adopt(ChildProcess.start("agent " + name,
                settings.vigilCommand(settings.agentJar(), tuned, List.of("--config", config.toString())),
                settings.vigilEnv(tuned), dir, dir.resolve("agent.log")));
        Loopback.awaitOk(URI.create("http://" + Loopback.HOST + ":" + port + "/healthz"), process,
                Duration.ofSeconds(90));
        return new VigilAgent(name, process, dir.resolve("data").resolve("journal"));
    }

    String name() {
        return name;
    }

    ChildProcess process() {
        return process;
    }

    /** Stops the agent with SIGTERM (it finishes the runs in flight and closes its journal). */
    void stop(Children children) {
        children.stop(process, Duration.ofSeconds(20));
    }

    /** Every sample in the agent's journal, in journal order; call after {@link #stop}. */
    List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        try (SampleJournal opened = SampleJournal.open(journal); JournalReader reader = opened.reader()) {
            reader.seekAfter(-1);
            List<SampleRecord> batch = new ArrayList<>();
            while (reader.read(10_000, batch) > 0) {
                batch.forEach(record -> samples.add(record.sample()));
                batch.clear();
            }
        }
        return samples;
    }
}
