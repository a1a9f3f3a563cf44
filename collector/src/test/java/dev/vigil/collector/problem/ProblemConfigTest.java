package dev.vigil.collector.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code problems:} section of collector.yaml. */
class ProblemConfigTest {
    @Test
    void withoutTheSectionTheRuleIsThreeOutagesWithinSevenDays() {
        assertThat(ProblemConfig.read(ConfigNode.parse("collector.yaml", "listen: 127.0.0.1:0\n", name -> null)))
                .isEqualTo(new ProblemConfig(3, Duration.ofDays(7)));
    }

    @Test
    void readsTheCountAndTheSpan() {
        assertThat(ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "problems:\n  recurrence: {count: 4, within: 36h}\n", name -> null)))
                .isEqualTo(new ProblemConfig(4, Duration.ofHours(36)));
    }

    @Test
    void aCountBelowTwoIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "problems:\n  recurrence:\n    count: 1\n", name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("problems.recurrence.count must be between 2 and 1000 (was 1)");
    }

    @Test
    void anUnknownKeyIsRejected() {
        assertThatThrownBy(() -> ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "problems:\n  recurence: {count: 3}\n", name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("recurence");
    }
}
