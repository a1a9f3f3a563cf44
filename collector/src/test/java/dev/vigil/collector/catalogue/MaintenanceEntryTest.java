package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.catalogue.MaintenanceEntry.Status;
import dev.vigil.collector.sla.DeclaredMaintenance;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.MaintenanceWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceEntryTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Sunday 02:00-04:00 Berlin, i.e. 01:00-03:00 UTC in winter. */
    private static final MaintenanceSchedule SUNDAYS = new MaintenanceSchedule.Weekly(BERLIN, Set.of(DayOfWeek.SUNDAY),
            LocalTime.of(2, 0), Duration.ofHours(2));
    private static final MaintenanceSchedule ONE_OFF = new MaintenanceSchedule.OneOff(
            Instant.parse("2026-11-28T01:00:00Z"), Instant.parse("2026-11-28T03:00:00Z"));

    @Test
    void aRecurringWindowCountsOnlyFromItsCreationOn() {
        MaintenanceEntry entry = entry(SUNDAYS, "2026-11-25T12:00:00Z");

        // November 2026: Sundays the 1st, 8th, 15th, 22nd and 29th; created on Wednesday the 25th.
        assertThat(entry.occurrences(millis("2026-11-01T00:00:00Z"), millis("2026-12-01T00:00:00Z")))
                .isEqualTo(IntervalSet.of(millis("2026-11-29T01:00:00Z"), millis("2026-11-29T03:00:00Z")));
    }

    @Test
    void aOneOffWindowCountsAtTheTimesItNamesEvenWhenDeclaredAfterwards() {
        MaintenanceEntry entry = entry(ONE_OFF, "2026-11-30T00:00:00Z");

        assertThat(entry.occurrences(millis("2026-11-01T00:00:00Z"), millis("2026-12-01T00:00:00Z")))
                .isEqualTo(IntervalSet.of(millis("2026-11-28T01:00:00Z"), millis("2026-11-28T03:00:00Z")));
    }

    @Test
    void anEndedWindowKeepsItsPastAndLosesTheRestOfTheRunningOccurrenceAndLaterOnes() {
        MaintenanceEntry ended = entry(SUNDAYS, "2026-11-01T00:00:00Z").end(Instant.parse("2026-11-15T02:00:00Z"),
                Optional.of("bob"));

        assertThat(ended.occurrences(millis("2026-11-01T00:00:00Z"), millis("2026-12-01T00:00:00Z")))
                .isEqualTo(IntervalSet.builder()
                        .add(millis("2026-11-01T01:00:00Z"), millis("2026-11-01T03:00:00Z"))
                        .add(millis("2026-11-08T01:00:00Z"), millis("2026-11-08T03:00:00Z"))
                        .add(millis("2026-11-15T01:00:00Z"), millis("2026-11-15T02:00:00Z"))
                        .build());
        assertThat(ended.endedBy()).contains("bob");
    }

    @Test
    void showsTheEvaluatorItsWindowAndOnlyTheOccurrencesBeforeItsEnd() {
        MaintenanceEntry unbounded = entry(SUNDAYS, "2026-01-01T00:00:00Z");
        Instant endedAt = Instant.parse("2026-11-15T02:00:00Z");
        MaintenanceEntry ended = entry(SUNDAYS, "2026-11-01T00:00:00Z").end(endedAt, Optional.empty());
        long from = millis("2026-11-01T00:00:00Z");
        long to = millis("2026-12-01T00:00:00Z");

        DeclaredMaintenance declared = ended;
        assertThat(declared.window()).isEqualTo(ended.window());
        assertThat(declared.occurrences(from, to)).isEqualTo(ended.window().occurrences(from, endedAt.toEpochMilli()));
        assertThat(declared.occurrences(from, to).size()).isEqualTo(3);
        assertThat(((DeclaredMaintenance) unbounded).occurrences(from, to))
                .isEqualTo(unbounded.window().occurrences(from, to));
        assertThat(entry(ONE_OFF, "2026-11-27T00:00:00Z").end(Instant.parse("2026-11-27T12:00:00Z"), Optional.empty())
                .occurrences(from, to)).isEqualTo(IntervalSet.EMPTY);
    }

    @Test
    void tellsScheduledActiveOverEndedAndCancelledApart() {
        MaintenanceEntry oneOff = entry(ONE_OFF, "2026-11-27T00:00:00Z");

        assertThat(oneOff.status(millis("2026-11-28T00:59:59Z"))).isEqualTo(Status.SCHEDULED);
        assertThat(oneOff.status(millis("2026-11-28T01:00:00Z"))).isEqualTo(Status.ACTIVE);
        assertThat(oneOff.status(millis("2026-11-28T03:00:00Z"))).isEqualTo(Status.OVER);
        MaintenanceEntry endedEarly = oneOff.end(Instant.parse("2026-11-28T02:00:00Z"), Optional.empty());
        assertThat(endedEarly.status(millis("2026-11-28T02:00:00Z"))).isEqualTo(Status.ENDED);
        MaintenanceEntry cancelled = oneOff.end(Instant.parse("2026-11-27T12:00:00Z"), Optional.empty());
        assertThat(cancelled.status(millis("2026-11-27T12:00:00Z"))).isEqualTo(Status.CANCELLED);
        assertThat(cancelled.occurrences(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)).isEqualTo(IntervalSet.EMPTY);

        MaintenanceEntry sundays = entry(SUNDAYS, "2026-11-25T12:00:00Z");
        assertThat(sundays.status(millis("2026-11-29T01:30:00Z"))).isEqualTo(Status.ACTIVE);
        assertThat(sundays.status(millis("2026-11-29T03:00:00Z"))).isEqualTo(Status.SCHEDULED);
        assertThat(sundays.end(Instant.parse("2026-11-27T00:00:00Z"), Optional.empty())
                .status(millis("2026-11-27T00:00:00Z"))).isEqualTo(Status.CANCELLED);
        assertThat(sundays.end(Instant.parse("2026-12-01T00:00:00Z"), Optional.empty())
                .status(millis("2026-12-01T00:00:00Z"))).isEqualTo(Status.ENDED);
    }

    @Test
    void onlyAWindowWithTimeLeftHasAFutureOccurrence() {
        MaintenanceEntry oneOff = entry(ONE_OFF, "2026-11-27T00:00:00Z");

        assertThat(oneOff.hasFutureOccurrence(millis("2026-11-28T02:59:59Z"))).isTrue();
        assertThat(oneOff.hasFutureOccurrence(millis("2026-11-28T03:00:00Z"))).isFalse();
        assertThat(entry(SUNDAYS, "2026-11-27T00:00:00Z").hasFutureOccurrence(millis("2030-01-01T00:00:00Z")))
                .isTrue();
    }

    private static MaintenanceEntry entry(MaintenanceSchedule schedule, String createdAt) {
        return MaintenanceEntry.of(new MaintenanceWindow("w", Set.of(), schedule, "alice", "patching",
                Instant.parse(createdAt)));
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
