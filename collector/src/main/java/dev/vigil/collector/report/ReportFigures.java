package dev.vigil.collector.report;

import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.ObjectiveResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How the people-facing formats (HTML, PDF) write the figures: shares as percentages, durations in
 * days, hours, minutes and seconds, instants in the SLA calendar's zone with their offset, and the
 * definitions every report ends with. The machine formats (JSON, CSV) write the raw numbers.
 */
final class ReportFigures {
    /** What the footer says about how the figures are defined, one paragraph per item. */
    static final List<String> DEFINITIONS = List.of(
            "Agreed service time = the month (local midnight to local midnight in the SLA calendar's zone) within "
                    + "the calendar's service hours, minus the maintenance windows listed; time without data is then "
                    + "excluded, counted as downtime or counted as up time as the SLA's no-data policy says.",
            "Availability = 1 - downtime / agreed service time. Downtime is the time the service was down within "
                    + "the agreed service time; an outage is listed with its full length, and with the part of it "
                    + "that counted as downtime.",
            "Latency objectives count the samples taken within the service hours outside maintenance: a ratio "
                    + "objective is the share of samples successful and no slower than the threshold; a percentile "
                    + "objective holds when that percentile of the successful samples is within the threshold.",
            "An objective is met when good >= target x total. Error budget remaining = 1 - bad / ((1 - target) x "
                    + "total): 100 % untouched, 0 % spent, negative overspent.",
            "MTTR = mean full duration of the outages that ended in the month; MTBF = agreed up time / outages "
                    + "started in the month; MTTD = mean time from an outage's start to its detection by the "
                    + "collector. Incident MTTD and MTTA are over the incidents that started in the month.",
            "Measured percentages are rounded down, so a missed target never shows as its own value. A month "
                    + "that has not ended is counted up to the time the report was generated.",
            "Full definitions with worked examples: " + SlaReport.DEFINITIONS + " in the Vigil source.");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx",
            Locale.ROOT);

    private ReportFigures() {
    }

    /** A measured share as a percentage rounded down to 4 decimals: {@code 99.9305 %}; {@code n/a} when empty. */
    static String measured(OptionalDouble share) {
        if (share.isEmpty()) {
            return "n/a";
        }
        return BigDecimal.valueOf(share.getAsDouble() * 100).setScale(4, RoundingMode.FLOOR).toPlainString() + " %";
    }

    /** A target share as the percentage it was written as: {@code 99.9 %}. */
    static String target(double share) {
        return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    /** An error budget remaining as a percentage with one decimal, {@code overspent} when negative. */
    static String budget(double remaining) {
        String percent = BigDecimal.valueOf(remaining * 100).setScale(1, RoundingMode.FLOOR).toPlainString() + " %";
        return remaining < 0 ? percent + " (overspent)" : percent;
    }

    /** What an objective measured: the share of good, and for a percentile objective the percentile itself. */
    static String measured(ObjectiveResult objective) {
        String share = measured(objective.measured());
        if (objective.objective() instanceof LatencyPercentileObjective percentile) {
            String value = objective.percentileMicros().isPresent()
                    ? millis(objective.percentileMicros().getAsLong() / 1000.0) : "n/a";
            return "p" + number(percentile.percentile()) + " = " + value + ", " + share + " within";
        }
        return share;
    }

    /** What an objective promises: {@code 99.9 %}, or {@code p95 <= 500 ms}. */
    static String target(ObjectiveResult objective) {
        if (objective.objective() instanceof LatencyPercentileObjective percentile) {
            return "p" + number(percentile.percentile()) + " <= " + millis(percentile.thresholdMicros() / 1000.0);
        }
        return target(objective.objective().target());
    }

    /** {@code met} or {@code MISSED}: capitals, so a missed objective stands out in print too. */
    static String verdict(ObjectiveResult objective) {
        return objective.met() ? "met" : "MISSED";
    }

    /** A duration for people: {@code 0 s}, {@code 4 min 05 s}, {@code 2 h 00 min 10 s}, {@code 3 d 04 h 05 min}. */
    static String duration(long millis) {
        long seconds = Math.round(millis / 1000.0);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            return String.format(Locale.ROOT, "%d d %02d h %02d min", days, hours, minutes);
        }
        if (hours > 0) {
            return String.format(Locale.ROOT, "%d h %02d min %02d s", hours, minutes, rest);
        }
        if (minutes > 0) {
            return String.format(Locale.ROOT, "%d min %02d s", minutes, rest);
        }
        if (seconds == 0 && millis > 0) {
            return millis + " ms";
        }
        return rest + " s";
    }

    /** A mean duration, {@code n/a} when empty. */
    static String duration(OptionalDouble millis) {
        return millis.isPresent() ? duration(Math.round(millis.getAsDouble())) : "n/a";
    }

    /** An instant in {@code zone} with its offset: {@code 2026-10-03 14:05:00 +02:00}. */
    static String instant(long epochMillis, ZoneId zone) {
        return LOCAL.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    /** An instant in UTC: {@code 2026-10-03 12:05:00 +00:00}. */
    static String instant(Instant instant) {
        return LOCAL.format(instant.atZone(ZoneId.of("UTC")));
    }

    private static String millis(double millis) {
        return number(millis) + " ms";
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
