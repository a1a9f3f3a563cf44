package dev.vigil.benchmarks.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testsupport.prometheus.AlertmanagerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentLatencyBenchTest {

    @Test
    void everyConfirmedOutageAndEveryAlertReachesTheReceiver(@TempDir Path workDir) throws Exception {
        boolean alertmanager = AlertmanagerProcess.executable().isPresent();
        IncidentLatencySettings settings = new IncidentLatencySettings(10, 0, 100, Duration.ofMillis(700), 8,
                Duration.ofMillis(50), Duration.ofSeconds(10), alertmanager);

        IncidentLatencyResult result = new IncidentLatencyBench(settings, workDir).run();

        assertThat(result.vigil().count()).as(result.markdown()).isEqualTo(10);
        assertThat(result.vigil().lost()).isZero();
        assertThat(result.keyMismatches()).as(result.markdown()).isZero();
        assertThat(result.floor().count()).isEqualTo(10);
        if (alertmanager) {
            assertThat(result.alertmanager()).hasValueSatisfying(figures -> {
                assertThat(figures.count()).isEqualTo(10);
                assertThat(figures.lost()).isZero();
            });
        } else {
            assertThat(result.alertmanager()).isEmpty();
        }
    }

    @Test
    void optionsOverrideTheDefaults() {
        IncidentLatencySettings settings = IncidentLatencySettings.parse("--measurements", "30", "--rate", "500",
                "--no-alertmanager");

        assertThat(settings.measurements()).isEqualTo(30);
        assertThat(settings.backgroundRate()).isEqualTo(500);
        assertThat(settings.alertmanager()).isFalse();
        assertThat(settings.warmup()).isEqualTo(IncidentLatencySettings.DEFAULT.warmup());
    }
}
