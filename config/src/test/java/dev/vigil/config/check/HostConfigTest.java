package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HostConfigTest {
    private static final String HEAD = """
            checks:
            """;

    private static HostProbeSpec spec(String fields) {
        return (HostProbeSpec) CheckFile.parse(HEAD + "  - id: self\n    type: host\n" + fields.indent(4))
                .checks().get(0).probe();
    }

    @Test
    void readsEveryHostField() {
        HostProbeSpec spec = spec("""
                max_cpu: 0.9
                max_memory: 85%
                max_swap: 0.5
                max_disk: 92.5%
                max_load_per_cpu: 1.5
                mounts: [/, /var/lib/postgresql/]
                """);

        assertThat(spec).isEqualTo(new HostProbeSpec(OptionalDouble.of(0.9), OptionalDouble.of(0.85),
                OptionalDouble.of(0.5), OptionalDouble.of(0.925), OptionalDouble.of(1.5),
                List.of(Path.of("/"), Path.of("/var/lib/postgresql"))));
    }

    @Test
    void aCheckWithoutLimitsOnlyReportsAndWatchesEveryLocalDisk() {
        HostProbeSpec spec = spec("interval: 1m\n");

        assertThat(spec).isEqualTo(new HostProbeSpec(OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), List.of()));
    }

    @Test
    void takesTheEndsOfTheRatioRange() {
        HostProbeSpec spec = spec("max_cpu: 0\nmax_memory: 100%\nmax_disk: 1\n");

        assertThat(spec.maxCpuUsage()).hasValue(0);
        assertThat(spec.maxMemoryUsage()).hasValue(1);
        assertThat(spec.maxDiskUsage()).hasValue(1);
    }
}
