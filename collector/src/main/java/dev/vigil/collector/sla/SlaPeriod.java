package dev.vigil.collector.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.Optional;

/**
 * The period an SLA is judged over: a calendar month, ISO week or quarter in a zone (normally the SLA
 * calendar's), or the rolling N days ending now. Calendar periods start at local midnight, so in a
 * zone with daylight saving a month may be an hour shorter or longer than its days times 24 h.
 */
public sealed interface SlaPeriod {

    /** The period holding {@code epochMillis}; for a rolling period the N days ending at that instant. */
    PeriodRange containing(long epochMillis);

    /** The period just before {@code range}. */
    PeriodRange previous(PeriodRange range);

    /**
     * The nominal length that burn-rate windows scale with: 30 days for a month, 7 for a week, 90 for a
     * quarter, N for rolling N days.
     */
    Duration nominalLength();

    /**
     * The period an API parameter names: {@code current} (the one holding {@code nowEpochMillis}),
     * {@code previous} (the one before it) or a label such as {@code 2026-11} found by walking back at
     * most {@code maxPeriodsBack} periods from the current one; empty when none matches.
     */
    default Optional<PeriodRange> labelled(String label, long nowEpochMillis, int maxPeriodsBack) {
        PeriodRange current = containing(nowEpochMillis);
        if (label.equals("current")) {
            return Optional.of(current);
        }
        if (label.equals("previous")) {
            return Optional.of(previous(current));
        }
        PeriodRange range = current;
        for (int i = 0; i <= maxPeriodsBack; i++) {
            if (range.label().equals(label)) {
                return Optional.of(range);
            }
            range = previous(range);
        }
        return Optional.empty();
    }

    /**
     * Calendar months in {@code zone}; labels like {@code 2026-11}.
     *
     * @param zone zone whose local midnight starts each month
     */
    record CalendarMonth(ZoneId zone) implements SlaPeriod {
        /** Validates. */
        public CalendarMonth {
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public PeriodRange containing(long epochMillis) {
            LocalDate first = localDate(epochMillis, zone).withDayOfMonth(1);
            return new PeriodRange(startOf(first, zone), startOf(first.plusMonths(1), zone),
                    String.format("%04d-%02d", first.getYear(), first.getMonthValue()));
        }

        @Override
        public PeriodRange previous(PeriodRange range) {
            return containing(range.startMillis() - 1);
        }

        @Override
        public Duration nominalLength() {
            return Duration.ofDays(30);
        }
    }

    /**
     * ISO weeks (Monday to Sunday) in {@code zone}; labels like {@code 2026-W48} (week-based year).
     *
     * @param zone zone whose local midnight starts each week
     */
    record CalendarWeek(ZoneId zone) implements SlaPeriod {
        /** Validates. */
        public CalendarWeek {
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public PeriodRange containing(long epochMillis) {
            LocalDate monday = localDate(epochMillis, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            return new PeriodRange(startOf(monday, zone), startOf(monday.plusWeeks(1), zone),
                    String.format("%04d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
                            monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        }

        @Override
        public PeriodRange previous(PeriodRange range) {
            return containing(range.startMillis() - 1);
        }

        @Override
        public Duration nominalLength() {
            return Duration.ofDays(7);
        }
    }

    /**
     * Calendar quarters (January, April, July, October) in {@code zone}; labels like {@code 2026-Q4}.
     *
     * @param zone zone whose local midnight starts each quarter
     */
    record CalendarQuarter(ZoneId zone) implements SlaPeriod {
        /** Validates. */
        public CalendarQuarter {
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public PeriodRange containing(long epochMillis) {
            LocalDate date = localDate(epochMillis, zone);
            int quarter = (date.getMonthValue() - 1) / 3;
            LocalDate first = LocalDate.of(date.getYear(), quarter * 3 + 1, 1);
            return new PeriodRange(startOf(first, zone), startOf(first.plusMonths(3), zone),
                    String.format("%04d-Q%d", first.getYear(), quarter + 1));
        }

        @Override
        public PeriodRange previous(PeriodRange range) {
            return containing(range.startMillis() - 1);
        }

        @Override
        public Duration nominalLength() {
            return Duration.ofDays(90);
        }
    }

    /**
     * The {@code days} × 24 h ending at the instant asked about; label {@code rolling-<days>d}.
     *
     * @param days length in days of 24 h, 1..400
     */
    record RollingDays(int days) implements SlaPeriod {
        /** Longest rolling period: the engine keeps 13 months of history. */
        public static final int MAX_DAYS = 400;

        /** Validates. */
        public RollingDays {
            if (days < 1 || days > MAX_DAYS) {
                throw new IllegalArgumentException("rolling days must be 1.." + MAX_DAYS + " (was " + days + ")");
            }
        }

        @Override
        public PeriodRange containing(long epochMillis) {
            return new PeriodRange(epochMillis - nominalLength().toMillis(), epochMillis, label());
        }

        @Override
        public PeriodRange previous(PeriodRange range) {
            return containing(range.startMillis());
        }

        @Override
        public Duration nominalLength() {
            return Duration.ofDays(days);
        }

        private String label() {
            return "rolling-" + days + "d";
        }
    }

    private static LocalDate localDate(long epochMillis, ZoneId zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
    }

    private static long startOf(LocalDate date, ZoneId zone) {
        return date.atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
