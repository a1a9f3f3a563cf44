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

    @Test
    void theSameFailureThreeTimesInAMonthOpensAProblemThatNamesIt() {
        ProblemDetector detector = new ProblemDetector(new ProblemConfig(3, Duration.ofDays(7),
                java.util.Optional.of(ProblemConfig.SAME_OUTCOME_DEFAULT), java.util.Optional.empty()));
        List<Incident> outages = List.of(
                Outages.of("web", "2026-11-01T03:00:00Z", "STATUS_MISMATCH: status 503 from https://web/ not in 2xx"),
                Outages.of("web", "2026-11-09T03:00:00Z", "TIMEOUT: no answer within 5s"),
                Outages.of("web", "2026-11-12T03:00:00Z", "STATUS_MISMATCH: expected 2xx, got 503"),
                Outages.of("web", "2026-11-25T03:00:00Z", "STATUS_MISMATCH: status 503 from https://web/ not in 2xx"));

        Problem problem = detector.detect(outages, Map.of()).get(0);

        assertThat(problem.rule()).isEqualTo("same_outcome");
        assertThat(problem.failure()).contains("STATUS_MISMATCH 503");
        assertThat(problem.key()).isEqualTo("problem/web@" + millis("2026-11-01T03:00:00Z"));
        // The timeout is no part of the run: only the outages that failed the same way are.
        assertThat(problem.incidents()).containsExactly(outages.get(0).key(), outages.get(2).key(),
                outages.get(3).key());
        assertThat(problem.pattern().byFailure()).isEqualTo(Map.of("STATUS_MISMATCH 503", 3));
        assertThat(problem.toJson().getString("failure")).isEqualTo("STATUS_MISMATCH 503");
    }

    @Test
    void differentFailuresDoNotAddUpUnderTheSameOutcomeRule() {
        ProblemDetector detector = new ProblemDetector(new ProblemConfig(3, Duration.ofDays(7),
                java.util.Optional.of(ProblemConfig.SAME_OUTCOME_DEFAULT), java.util.Optional.empty()));

        assertThat(detector.detect(List.of(
                Outages.of("web", "2026-11-01T03:00:00Z", "STATUS_MISMATCH: status 503 from https://web/"),
                Outages.of("web", "2026-11-10T03:00:00Z", "STATUS_MISMATCH: status 500 from https://web/"),
                Outages.of("web", "2026-11-20T03:00:00Z", "TIMEOUT: no answer within 5s"),
                Outages.of("web", "2026-11-29T03:00:00Z", "STATUS_MISMATCH: status 503 from https://web/")),
                Map.of())).isEmpty();
    }

    @Test
    void withoutTheSameOutcomeRuleTheSameFailureSpreadOverAMonthOpensNothing() {
        assertThat(detector.detect(List.of(Outages.of("web", "2026-11-01T03:00:00Z"),
                Outages.of("web", "2026-11-12T03:00:00Z"), Outages.of("web", "2026-11-25T03:00:00Z")), Map.of()))
                .isEmpty();
    }

    @Test
    void theRecurrenceRuleGoesFirstAndNamesNoFailure() {
        ProblemDetector detector = new ProblemDetector(new ProblemConfig(3, Duration.ofDays(7),
                java.util.Optional.of(ProblemConfig.SAME_OUTCOME_DEFAULT), java.util.Optional.empty()));

        Problem problem = detector.detect(List.of(Outages.of("web", "2026-11-01T03:00:00Z"),
                Outages.of("web", "2026-11-02T03:00:00Z"), Outages.of("web", "2026-11-03T03:00:00Z")), Map.of()).get(0);

        assertThat(problem.rule()).isEqualTo("recurrence");
        assertThat(problem.failure()).isEmpty();
    }

    @Test
    void aFailureIsTheOutcomeWithTheHttpStatusOnlyForAStatusMismatch() {
        assertThat(ProblemPattern.failure("STATUS_MISMATCH: status 503 from https://10.0.0.1:8443/x not in 2xx"))
                .isEqualTo("STATUS_MISMATCH 503");
        assertThat(ProblemPattern.failure("STATUS_MISMATCH: 404")).isEqualTo("STATUS_MISMATCH 404");
        assertThat(ProblemPattern.failure("STATUS_MISMATCH: rcode NXDOMAIN from 127.0.0.1:5353"))
                .isEqualTo("STATUS_MISMATCH");
        assertThat(ProblemPattern.failure("TIMEOUT: no answer within 500 ms")).isEqualTo("TIMEOUT");
        assertThat(ProblemPattern.failure("the dog ate it")).isEqualTo("UNKNOWN");
    }

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
