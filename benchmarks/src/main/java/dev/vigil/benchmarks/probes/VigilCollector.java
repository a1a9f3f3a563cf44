package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real collector, in its own process, that every agent of the run ships to. Its CPU is not
 * counted; it is there so that the agents run as they do in production, shipping every sample.
 */
final class VigilCollector {
    private final URI baseUri;

    private VigilCollector(URI baseUri) {
        this.baseUri = baseUri;
    }

    /** Starts a collector that accepts {@code agentNames}, each with {@link #token(String)}; returns once healthy. */
    static VigilCollector start(BenchSettings settings, List<String> agentNames, Children children) {
        int port = Loopback.freePort();
        Path dir = settings.workDir().resolve("collector");
        StringBuilder yaml = new StringBuilder()
                .append("listen: ").append(Loopback.HOST).append(':').append(port).append('\n')
                .append("data_dir: ").append(dir.resolve("data")).append('\n')
                .append("agents:\n");
        for (String name : agentNames) {
            yaml.append("  - name: ").append(name).append('\n')
                    .append("    token: ").append(token(name)).append('\n');
        }
        Path config = dir.resolve("collector.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ChildProcess process = children.adopt(ChildProcess.start("collector",
                settings.vigilCommand(settings.collectorJar(), false, List.of("--config", config.toString())),
                Map.of(), dir, dir.resolve("collector.log")));
        URI base = URI.create("http://" + Loopback.HOST + ":" + port);
        Loopback.awaitOk(base.resolve("/healthz"), process, Duration.ofSeconds(90));
        return new VigilCollector(base);
    }

    /** The bearer token of agent {@code name}: a loopback benchmark's, no secret. */
    static String token(String name) {
        return "probe-bench-token-" + name;
    }

    URI baseUri() {
        return baseUri;
    }
}
