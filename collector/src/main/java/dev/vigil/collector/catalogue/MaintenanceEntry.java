package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.DeclaredMaintenance;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A maintenance window as the catalogue keeps it for the audit trail: the window, and when and by whom
 * it was ended early or cancelled. An ended window is never erased: its occurrences before
 * {@code endedAt} still count as maintenance, those after it do not.
 *
 * <p>A recurring window applies from its {@code createdAt} on, so creating "every Sunday 02:00" today
 * does not turn last month's Sunday outages into maintenance; a one-off window applies at the times it
 * names, and its {@code createdAt} shows when it was declared.
 *
 * @param window  the window as created
 * @param endedAt when it was ended, if it was; later occurrences and the rest of a running one do not count
 * @param endedBy who ended it, when they said so
 */
public record MaintenanceEntry(MaintenanceWindow window, Optional<Instant> endedAt, Optional<String> endedBy)
        implements DeclaredMaintenance {
    /** Past this span a recurring window has had an occurrence (monthly: at least one per 31 days). */
    private static final long LONGEST_GAP_MILLIS = Duration.ofDays(32).toMillis();

    /** What a window is doing at a given instant, as the API shows it. */
    public enum Status {
        /** It has an occurrence to come and none running. */
        SCHEDULED,
        /** An occurrence is running. */
        ACTIVE,
        /** A one-off window that has run its course. */
        OVER,
        /** Ended early: it counted until {@code endedAt}. */
        ENDED,
        /** Ended before any occurrence began: it never counted. */
        CANCELLED
    }

    /** Validates. */
    public MaintenanceEntry {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(endedBy, "endedBy");
        if (endedBy.isPresent() && endedAt.isEmpty()) {
            throw new IllegalArgumentException("maintenance " + window.id() + " has endedBy without endedAt");
        }
    }

    /** A window that has not been ended. */
    public static MaintenanceEntry of(MaintenanceWindow window) {
        return new MaintenanceEntry(window, Optional.empty(), Optional.empty());
    }

    /** The window's id. */
    public String id() {
        return window.id();
    }

    /** Whether it applies to the named service: it names it, or it names none. */
    public boolean appliesTo(String service) {
        return window.appliesTo(service);
    }

    /**
     * The maintenance time within {@code [fromEpochMillis, toEpochMillis)}: the window's occurrences,
     * from its creation on for a recurring window, and before {@code endedAt} when it was ended.
     */
    public IntervalSet occurrences(long fromEpochMillis, long toEpochMillis) {
        long from = fromEpochMillis;
        if (!(window.schedule() instanceof MaintenanceSchedule.OneOff)) {
            from = Math.max(from, window.createdAt().toEpochMilli());
        }
        long to = endedAt.map(at -> Math.min(toEpochMillis, at.toEpochMilli())).orElse(toEpochMillis);
        return to <= from ? IntervalSet.EMPTY : window.occurrences(from, to);
    }

    /** This window ended at {@code at}, by {@code by} when named. */
    public MaintenanceEntry end(Instant at, Optional<String> by) {
        return new MaintenanceEntry(window, Optional.of(at), by);
    }

    /** Whether it has an occurrence, or the rest of one, at or after {@code epochMillis}. */
    public boolean hasFutureOccurrence(long epochMillis) {
        if (endedAt.isPresent() && endedAt.get().toEpochMilli() <= epochMillis) {
            return false;
        }
        if (window.schedule() instanceof MaintenanceSchedule.OneOff oneOff) {
            return oneOff.end().toEpochMilli() > epochMillis;
        }
        return true;
    }

    /** Its status at {@code nowEpochMillis}. */
    public Status status(long nowEpochMillis) {
        if (!occurrences(nowEpochMillis, nowEpochMillis + 1).isEmpty()) {
            return Status.ACTIVE;
        }
        if (endedAt.isPresent()) {
            long ended = endedAt.get().toEpochMilli();
            long from = window.schedule() instanceof MaintenanceSchedule.OneOff oneOff
                    ? oneOff.start().toEpochMilli() : ended - LONGEST_GAP_MILLIS;
            return occurrences(from, ended).isEmpty() ? Status.CANCELLED : Status.ENDED;
        }
        if (window.schedule() instanceof MaintenanceSchedule.OneOff oneOff
                && oneOff.end().toEpochMilli() <= nowEpochMillis) {
            return Status.OVER;
        }
        return Status.SCHEDULED;
    }
}
