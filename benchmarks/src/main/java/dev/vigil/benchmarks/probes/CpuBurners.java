package dev.vigil.benchmarks.probes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CPU load of the loaded latency condition: {@code sha256sum /dev/zero} processes, more than
 * there are cores, each under {@code timeout} so that none outlives its time even if the benchmark
 * dies without cleaning up.
 */
final class CpuBurners implements AutoCloseable {
    private final List<ChildProcess> burners;
    private final Children children;

    private CpuBurners(List<ChildProcess> burners, Children children) {
        this.burners = burners;
        this.children = children;
    }

    /** Starts {@code count} burners that stop by themselves after {@code atMost}. */
    static CpuBurners start(BenchSettings settings, int count, Duration atMost, Children children) {
        List<ChildProcess> burners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            burners.add(children.adopt(ChildProcess.start("cpu burner " + i,
                    List.of("timeout", Long.toString(Math.max(1, atMost.toSeconds())), "sha256sum", "/dev/zero"),
                    Map.of(), settings.workDir(), settings.workDir().resolve("burner.log"))));
        }
        return new CpuBurners(burners, children);
    }

    @Override
    public void close() {
        burners.forEach(burner -> children.stop(burner, Duration.ofSeconds(5)));
    }
}
