package dev.vigil.benchmarks.incidents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the incident-open benchmark and prints its result as markdown:
 * {@code java -cp benchmarks/target/vigil-benchmarks.jar dev.vigil.benchmarks.incidents.IncidentLatencyMain
 * [--measurements 200] [--warmup 20] [--rate 1000] [--spacing-ms 1500] [--victims 10] [--no-alertmanager]}.
 */
public final class IncidentLatencyMain {
    private IncidentLatencyMain() {
    }

    /** Parses the options (see {@link IncidentLatencySettings#parse}), runs, prints; exit status 2 on bad options. */
    public static void main(String[] args) throws IOException, InterruptedException {
        IncidentLatencySettings settings;
        try {
            settings = IncidentLatencySettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("incident benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path workDir = Files.createTempDirectory("vigil-bench-incidents");
        try {
            IncidentLatencyResult result = new IncidentLatencyBench(settings, workDir).run();
            System.out.print(result.markdown());
        } finally {
            try (Stream<Path> paths = Files.walk(workDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        // The collector's and the HTTP clients' non-daemon threads must not keep a finished run alive.
        System.exit(0);
    }
}
