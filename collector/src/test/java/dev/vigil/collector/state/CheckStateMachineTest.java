package dev.vigil.collector.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckStateMachineTest {

    /**
     * Samples are S (success) or F (failure), the i-th scheduled at i seconds. States after each
     * sample: ? unknown, u up, d down. Transitions: TO@i, counted from the i-th sample's time.
     */
    @ParameterizedTest(name = "{0}/{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        2 | 2 | FF         | ?d         | DOWN@0
        2 | 2 | SS         | ?u         | UP@0
        2 | 2 | SFSF       | ????       |
        2 | 2 | FFFFF      | ?dddd      | DOWN@0
        2 | 2 | SSFSFFSFSS | ?uuuuddddu | UP@0 DOWN@4 UP@8
        1 | 1 | SFS        | udu        | UP@0 DOWN@1 UP@2
        3 | 2 | FFSFFF     | ?????d     | DOWN@3
        2 | 3 | FFSSFSSS   | ?dddddd u  | DOWN@0 UP@5
        3 | 3 | SSSFFSFFF  | ??uuuuuud  | UP@0 DOWN@6
        """)
    void changesStateOnlyWhenARunReachesItsThreshold(int failuresToOpen, int successesToClose, String samples,
            String states, String transitions) {
        CheckStateMachine machine = new CheckStateMachine(new Thresholds(failuresToOpen, successesToClose));
        StringBuilder seen = new StringBuilder();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < samples.length(); i++) {
            Optional<Transition> transition = machine.apply(samples.charAt(i) == 'S', i * 1000L);
            transition.ifPresent(t -> changes.add(t.to() + "@" + t.atEpochMillis() / 1000));
            seen.append(switch (machine.state()) {
                case UNKNOWN -> '?';
                case UP -> 'u';
                case DOWN -> 'd';
            });
        }
        assertThat(seen.toString()).isEqualTo(states.replace(" ", ""));
        assertThat(String.join(" ", changes)).isEqualTo(transitions == null ? "" : transitions);
    }

    @Test
    void reportsWhenTheCurrentStateBeganAndNothingWhileUnknown() {
        CheckStateMachine machine = new CheckStateMachine(Thresholds.DEFAULT);
        assertThat(machine.sinceEpochMillis()).isEmpty();

        machine.apply(false, 5_000);
        machine.apply(false, 6_000);

        assertThat(machine.state()).isEqualTo(CheckState.DOWN);
        assertThat(machine.sinceEpochMillis()).contains(5_000L);
    }

    @Test
    void marksOnlyTheRecoveryFromDownAsTheEndOfAnOutage() {
        CheckStateMachine machine = new CheckStateMachine(new Thresholds(1, 1));

        Transition first = machine.apply(true, 0).orElseThrow();
        Transition down = machine.apply(false, 1).orElseThrow();
        Transition up = machine.apply(true, 2).orElseThrow();

        assertThat(first.recovered()).isFalse();
        assertThat(down.wentDown()).isTrue();
        assertThat(up.recovered()).isTrue();
    }
}
