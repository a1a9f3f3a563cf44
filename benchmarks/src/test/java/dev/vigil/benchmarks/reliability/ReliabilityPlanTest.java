package dev.vigil.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReliabilityPlanTest {
    @Test
    void takesDurationsInSecondsMillisecondsOrMinutes() {
        ReliabilityPlan plan = ReliabilityPlan.quick().with(Map.of("outage", "10m", "stall", "1500ms",
                "kill-window", "2.5", "warmup", "3s"));

        assertThat(plan.outage()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.stall()).isEqualTo(Duration.ofMillis(1500));
        assertThat(plan.killWindow()).isEqualTo(Duration.ofMillis(2500));
        assertThat(plan.warmup()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void runsOnlyTheTrialsNamedByOnly() {
        ReliabilityPlan plan = ReliabilityPlan.full().with(Map.of("only", "outage, stall"));

        assertThat(plan.trials()).containsExactlyInAnyOrder(TrialKind.OUTAGE, TrialKind.STALL);
    }

    @Test
    void namesTheOptionAndTheValueItCannotRead() {
        assertThatThrownBy(() -> ReliabilityPlan.quick().with(Map.of("agent-kills", "many")))
                .hasMessage("--agent-kills takes a whole number (was 'many')");
        assertThatThrownBy(() -> ReliabilityPlan.quick().with(Map.of("only", "fire")))
                .hasMessageStartingWith("unknown trial 'fire'");
        assertThatThrownBy(() -> ReliabilityPlan.quick().with(Map.of("checks", "0")))
                .hasMessage("--checks must be >= 1 (was 0)");
    }
}
