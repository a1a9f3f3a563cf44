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

    @Test
    void theSameOutcomeRuleIsOffUnlessPresentAndTakesDefaultsForWhatItLeavesOut() {
        assertThat(ProblemConfig.DEFAULT.sameOutcome()).isEmpty();
        assertThat(ProblemConfig.read(ConfigNode.parse("collector.yaml", "problems:\n  same_outcome: {}\n",
                name -> null)).sameOutcome()).contains(new ProblemConfig.Rule(3, Duration.ofDays(30)));
        assertThat(ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "problems:\n  same_outcome: {count: 4, within: 14d}\n", name -> null)).sameOutcome())
                .contains(new ProblemConfig.Rule(4, Duration.ofDays(14)));
    }

    @Test
    void aSameOutcomeCountBelowTwoIsRejectedWithItsKey() {
        assertThatThrownBy(() -> ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "problems:\n  same_outcome: {count: 1}\n", name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("problems.same_outcome.count must be between 2 and 1000 (was 1)");
    }

    @Test
    void theSinkMustBeAConfiguredSink() {
        assertThatThrownBy(() -> ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "sinks:\n  - {name: ops, type: webhook}\nproblems:\n  sink: jira\n", name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("problems.sink must name one of the sinks [ops] (was 'jira') at collector.yaml:4");
        assertThat(ProblemConfig.read(ConfigNode.parse("collector.yaml",
                "sinks:\n  - {name: ops, type: webhook}\nproblems:\n  sink: ops\n", name -> null)).sink())
                .contains("ops");
    }
}
