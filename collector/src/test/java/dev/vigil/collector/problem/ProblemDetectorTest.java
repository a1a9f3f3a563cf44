package dev.vigil.collector.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.incident.Incident;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Problems found in outage incidents by the recurrence rule (3 within 7 days). */
class ProblemDetectorTest {
    final ProblemDetector detector = new ProblemDetector(ProblemConfig.DEFAULT);

    @Test
    void aCheckFailingThreeTimesInAWeekOpensAProblem() {
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z"),
                Outages.of("web", "2026-11-08T14:00:00Z"));

        List<Problem> problems = detector.detect(outages, Map.of());

        assertThat(problems).hasSize(1);
        Problem problem = problems.get(0);
        assertThat(problem.key()).isEqualTo("problem/web@" + millis("2026-11-02T03:10:00Z"));
        assertThat(problem.open()).isTrue();
        assertThat(problem.service()).contains("web");
        assertThat(problem.incidents()).containsExactly(outages.stream().map(Incident::key).toArray(String[]::new));
    }

    @Test
    void twoOutagesInAWeekOpenNoProblem() {
        assertThat(detector.detect(List.of(Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z")), Map.of())).isEmpty();
    }

    @Test
    void threeOutagesSpreadOverTenDaysOpenNoProblem() {
        assertThat(detector.detect(List.of(Outages.of("web", "2026-11-01T00:00:00Z"),
                Outages.of("web", "2026-11-06T00:00:00Z"),
                Outages.of("web", "2026-11-11T00:00:00Z")), Map.of())).isEmpty();
    }

    @Test
    void outagesOfDifferentServicesDoNotAddUp() {
        assertThat(detector.detect(List.of(Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("shop", "2026-11-03T03:20:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z")), Map.of())).isEmpty();
    }

    @Test
    void aFourthOutageJoinsTheOpenProblemEvenWeeksLater() {
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z"),
                Outages.of("web", "2026-11-08T14:00:00Z"),
                Outages.of("web", "2026-11-30T09:00:00Z"));

        List<Problem> problems = detector.detect(outages, Map.of());

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).incidents()).hasSize(4).contains(outages.get(3).key());
        assertThat(problems.get(0).lastStartedEpochMillis()).isEqualTo(millis("2026-11-30T09:00:00Z"));
    }

    @Test
    void afterAClosureTheNextRecurrenceRunOpensANewProblem() {
        String first = "problem/web@" + millis("2026-11-02T03:10:00Z");
        Map<String, Closure> closures = Map.of(first,
                new Closure("expired certificate", "ops", millis("2026-11-09T00:00:00Z")));
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z"),
                Outages.of("web", "2026-11-08T14:00:00Z"),
                Outages.of("web", "2026-11-10T01:00:00Z"),
                Outages.of("web", "2026-11-11T01:00:00Z"),
                Outages.of("web", "2026-11-12T01:00:00Z"));

        List<Problem> problems = detector.detect(outages, closures);

        assertThat(problems).extracting(Problem::key, Problem::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(first, "closed"),
                org.assertj.core.groups.Tuple.tuple("problem/web@" + millis("2026-11-10T01:00:00Z"), "open"));
        assertThat(problems.get(0).incidents()).hasSize(3);
        assertThat(problems.get(0).closure().orElseThrow().rootCause()).isEqualTo("expired certificate");
    }

    @Test
    void oneOrTwoOutagesAfterAClosureOpenNothingYet() {
        Map<String, Closure> closures = Map.of("problem/web@" + millis("2026-11-02T03:10:00Z"),
                new Closure("expired certificate", "ops", millis("2026-11-09T00:00:00Z")));
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z"),
                Outages.of("web", "2026-11-08T14:00:00Z"),
                Outages.of("web", "2026-11-10T01:00:00Z"),
                Outages.of("web", "2026-11-11T01:00:00Z"));

        assertThat(detector.detect(outages, closures)).singleElement().satisfies(problem -> {
            assertThat(problem.open()).isFalse();
            assertThat(problem.incidents()).hasSize(3);
        });
    }

    @Test
    void thePatternCountsOutagesByHourWeekdayOutcomeAndLocation() {
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-02T03:10:00Z", "STATUS_MISMATCH: 503 Service Unavailable", "edge-1",
                        "edge-2"),
                Outages.of("web", "2026-11-03T03:50:00Z", "STATUS_MISMATCH: 502 Bad Gateway", "edge-1"),
                Outages.of("web", "2026-11-04T17:00:00Z", "TIMEOUT", "edge-2"),
                Outages.of("web", "2026-11-09T03:05:00Z", "connection went away", "edge-1"));

        ProblemPattern pattern = detector.detect(outages, Map.of()).get(0).pattern();

        assertThat(pattern.byHourUtc()).isEqualTo(Map.of(3, 3, 17, 1));
        assertThat(pattern.byWeekday()).isEqualTo(Map.of(DayOfWeek.MONDAY, 2, DayOfWeek.TUESDAY, 1,
                DayOfWeek.WEDNESDAY, 1));
        assertThat(pattern.byOutcome()).isEqualTo(Map.of("STATUS_MISMATCH", 2, "TIMEOUT", 1, "UNKNOWN", 1));
        assertThat(pattern.byLocation()).isEqualTo(Map.of("edge-1", 3, "edge-2", 2));
    }

    @Test
    void theRuleIsConfigurable() {
        ProblemDetector twoInADay = new ProblemDetector(new ProblemConfig(2, Duration.ofDays(1)));
        List<Incident> outages = List.of(Outages.of("web", "2026-11-02T03:10:00Z"),
                Outages.of("web", "2026-11-04T03:20:00Z"), Outages.of("web", "2026-11-04T09:20:00Z"));

        assertThat(twoInADay.detect(outages, Map.of())).singleElement()
                .extracting(Problem::key).isEqualTo("problem/web@" + millis("2026-11-04T03:20:00Z"));
    }

    @Test
    void theRepeatRateIsTheShareOfTheMonthsOutagesThatBelongToAProblem() {
        List<Incident> outages = List.of(
                Outages.of("web", "2026-10-30T03:10:00Z"),
                Outages.of("web", "2026-11-01T03:20:00Z"),
                Outages.of("web", "2026-11-02T14:00:00Z"),
                Outages.of("web", "2026-11-25T14:00:00Z"),
                Outages.of("shop", "2026-11-03T14:00:00Z"));
        List<Problem> problems = detector.detect(outages, Map.of());

        Map<String, ProblemDetector.RepeatRate> rates = ProblemDetector.repeatRates(outages, problems,
                millis("2026-11-01T00:00:00Z"), millis("2026-12-01T00:00:00Z"));

        assertThat(rates).isEqualTo(Map.of("web", new ProblemDetector.RepeatRate(3, 3),
                "shop", new ProblemDetector.RepeatRate(1, 0)));
    }

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
