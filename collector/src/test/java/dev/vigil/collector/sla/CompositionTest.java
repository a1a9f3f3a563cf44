package dev.vigil.collector.sla;

import static dev.vigil.collector.sla.SampleScript.minute;
import static dev.vigil.collector.sla.SampleScript.minutes;
import static dev.vigil.collector.sla.SampleScript.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.state.Thresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompositionTest {

    private static List<CheckTimeline> locations(String... scripts) {
        List<CheckTimeline> timelines = new ArrayList<>();
        for (String script : scripts) {
            timelines.add(timeline(script == null ? "" : script, Thresholds.DEFAULT, 5, 0));
        }
        return timelines;
    }

    @ParameterizedTest(name = "{0} / {1} / {2}, quorum {3}: down [{4}], no data [{5}]")
    @CsvSource(delimiter = '|', textBlock = """
            # location A  | location B  | location C (blank: silent) | quorum | down    | no data
            ++xxxx++      | ++xxxx++    |                            | 2      | 2-6     |
            ++xxxx++      | ++++++++    |                            | 2      |         | 2-6
            ++++++++      | ++++++++    |                            | 2      |         |
            ++xxxx++      | ++++++++    |                            | 1      | 2-6     | 0-2 6-8
            ++++++++      | ++++++++    |                            | 1      |         | 0-8
            ++xxxx++      | ++++xx++    | ++++++++                   | 2      | 4-6     |
            ++xxxx++      | ++++xx++    | ++++++++                   | 3      |         |
            ++xxxx++      | ++xxxx++    | ++xxxx++                   | 3      | 2-6     |
            ++xxxx++      | ++xxxx++    |                            | 3      |         | 2-6
            ++xxxx++      | ++++++++    | ++++++++                   | 1      | 2-6     |
            """)
    void quorumDecidesAtEveryInstant(String a, String b, String c, int quorum, String down, String noData) {
        QuorumTimeline check = new QuorumTimeline(locations(a, b, c), quorum);
        TimelineSlice slice = check.slice(minute(0), minute(8), minute(8));
        assertThat(slice.down()).as("down").isEqualTo(minutes(down));
        assertThat(slice.noData()).as("no data").isEqualTo(minutes(noData));
        for (int m = 0; m < 8; m++) {
            TimelineState expected = minutes(down).contains(minute(m)) ? TimelineState.DOWN
                    : minutes(noData).contains(minute(m)) ? TimelineState.NO_DATA : TimelineState.UP;
            assertThat(check.stateAt(minute(m), minute(8))).as("minute %d", m).isEqualTo(expected);
        }
    }

    @Test
    void aQuorumOutageIsDetectedWhenTheKthLocationsConfirmingSampleArrived() {
        CheckTimeline a = timeline("++xxxx++", Thresholds.DEFAULT, 5, 10_000);  // down from 2, confirmed 3:10
        CheckTimeline b = timeline("++++xx++", Thresholds.DEFAULT, 5, 50_000);  // down from 4, confirmed 5:50
        CheckTimeline c = timeline("++++++++", Thresholds.DEFAULT, 5, 0);
        assertThat(new QuorumTimeline(List.of(a, b, c), 1).outages(minute(0), minute(8), minute(8)))
                .containsExactly(new OutageRecord(minute(2), OptionalLong.of(minute(6)), minute(3) + 10_000));
        assertThat(new QuorumTimeline(List.of(a, b, c), 2).outages(minute(0), minute(8), minute(8)))
                .containsExactly(new OutageRecord(minute(4), OptionalLong.of(minute(6)), minute(5) + 50_000));
    }

    @Test
    void aDetectionEarlierThanTheQuorumOutageStartCountsFromTheStart() {
        // A went down at 0 and was confirmed at 1; B only at 4 (confirmed 5): with quorum 2 the check
        // is down from 4, known at 5 — A's earlier detection does not make it known before it began.
        CheckTimeline a = timeline("xxxxxx++", Thresholds.DEFAULT, 5, 0);
        CheckTimeline b = timeline("++++xx++", Thresholds.DEFAULT, 5, 0);
        QuorumTimeline check = new QuorumTimeline(List.of(a, b), 2);
        assertThat(check.outages(minute(0), minute(8), minute(8)))
                .containsExactly(new OutageRecord(minute(4), OptionalLong.of(minute(6)), minute(5)));
        assertThat(check.detectedAt(minute(5), minute(8))).isEqualTo(minute(5));
    }

    @ParameterizedTest(name = "checks {0} and {1}: down [{2}], no data [{3}]")
    @CsvSource(delimiter = '|', textBlock = """
            # check 1      | check 2 (blank: silent) | down     | no data
            ++xxxx++       | ++++++++                | 2-6      |
            ++xxxx++       |                         | 2-6      | 0-2 6-8
            ++++++++       |                         |          | 0-8
            ++xx++++       | ++++xx++                | 2-6      |
            ++xx....       | ++++++++                | 2-8      |
            """)
    void aServiceIsDownWhenAnyCheckIsDownElseNoDataWhenAnyIsSilent(String one, String two, String down, String noData) {
        ServiceTimeline service = new ServiceTimeline(locations(one, two));
        TimelineSlice slice = service.slice(minute(0), minute(8), minute(8));
        assertThat(slice.down()).as("down").isEqualTo(minutes(down));
        assertThat(slice.noData()).as("no data").isEqualTo(minutes(noData));
    }

    @Test
    void aServiceOutageSpansItsChecksOverlappingOutagesAndIsDetectedByTheFirstToKnow() {
        CheckTimeline one = timeline("++xx++++", Thresholds.DEFAULT, 5, 30_000);
        CheckTimeline two = timeline("+++xxx++", Thresholds.DEFAULT, 5, 5_000);
        ServiceTimeline service = new ServiceTimeline(List.of(one, two));
        assertThat(service.outages(minute(0), minute(8), minute(8)))
                .containsExactly(new OutageRecord(minute(2), OptionalLong.of(minute(6)), minute(3) + 30_000));
    }

    @Test
    void compositionsRejectAnImpossibleQuorum() {
        assertThatThrownBy(() -> new QuorumTimeline(locations("+", "+"), 3)).hasMessage("quorum must be 1..2 (was 3)");
        assertThatThrownBy(() -> new QuorumTimeline(List.of(), 1)).hasMessage("a check needs at least one location");
        assertThatThrownBy(() -> new ServiceTimeline(List.of())).hasMessage("a service needs at least one check");
    }
}
