package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The trial's collector: one configuration, one data directory and one port for every incarnation,
 * so a restarted collector replays the journal its predecessor wrote and the agent finds it where it
 * was.
 */
final class CollectorNode extends VigilNode {
    /** Samples the collector took for ones it already held: resends it absorbed. */
    static final String DUPLICATES = "vigil_ingest_duplicates_total";
    /** Samples it accepted and journaled. */
    static final String ACCEPTED = "vigil_ingest_samples_total";

    private final Launch launch;
    private final int port;
    private final Path config;

    /** A collector in {@code dir} accepting agent {@code agentName} with {@code token}. */
    CollectorNode(Launch launch, Path dir, String agentName, String token) {
        super("collector", dir, List.of(DUPLICATES, ACCEPTED));
        this.launch = launch;
        this.port = Loopback.freePort();
        this.config = dir.resolve("collector.yaml");
        String yaml = "listen: " + Loopback.HOST + ":" + port + "\n"
                + "data_dir: " + dataDir() + "\n"
                + "agents:\n"
                + "  - name: " + agentName + "\n"
                + "    token: " + token + "\n";
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    /** The collector's data directory. */
    Path dataDir() {
        return dir().resolve("data");
    }

    /** Its journal, {@code <data_dir>/journal}. */
    Path journalDir() {
        return dataDir().resolve("journal");
    }

    @Override
    List<String> command() {
        return launch.collectorCommand(List.of("--config", config.toString()));
    }

    @Override
    Map<String, String> environment() {
        return Map.of();
    }

    @Override
    URI baseUri() {
        return URI.create("http://" + Loopback.HOST + ":" + port);
    }
}
