package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.AvailabilityObjective;
import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.LatencyRatioObjective;
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.Objective;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.config.ConfigNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an SLA:
 * <pre>
 * period: month            # month | week | quarter | rolling 30d; default month
 * calendar: office         # default 24x7
 * no_data: exclude         # exclude | down | up; default exclude
 * objectives:
 *   - availability: 99.9%
 *   - latency: {threshold: 300ms, target: 99%}
 *   - latency: {percentile: p95, threshold: 500ms}
 * </pre>
 */
final class SlaReader {
    private static final Pattern ROLLING = Pattern.compile("rolling\\s+(\\d{1,4})\\s*d(ays?)?");
    private static final Pattern PERCENTILE = Pattern.compile("[pP]?(\\d{1,2}(\\.\\d+)?)%?");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private SlaReader() {
    }

    static SlaDefinition read(String name, ConfigNode node, Origin origin, References references) {
        node.rejectUnknown(origin.namedItemFields("period", "calendar", "no_data", "objectives"));
        ItemNames.checkBodyName(node, name, origin);
        String calendarName = node.find("calendar").map(c -> c.text().trim()).orElse(Catalogue.ALWAYS_ON);
        ServiceCalendar calendar = references.calendars().get(calendarName);
        if (calendar == null) {
            throw node.get("calendar").error("names no calendar '" + calendarName + "' (defined: "
                    + References.list(references.calendars().keySet()) + ")");
        }
        SlaPeriod period = node.find("period").map(p -> period(p, calendar)).orElseGet(
                () -> new SlaPeriod.CalendarMonth(calendar.zone()));
        NoDataPolicy noData = node.has("no_data") ? node.enumValue("no_data", NoDataPolicy.class)
                : NoDataPolicy.EXCLUDE;
        ConfigNode list = node.get("objectives");
        List<ConfigNode> items = list.items();
        if (items.isEmpty()) {
            throw list.error("must list at least one objective");
        }
        List<Objective> objectives = new ArrayList<>();
        for (ConfigNode item : items) {
            objectives.add(objective(item));
        }
        return new SlaDefinition(name, objectives, period, calendarName, noData);
    }

    private static SlaPeriod period(ConfigNode node, ServiceCalendar calendar) {
        String text = node.text().trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "month" -> new SlaPeriod.CalendarMonth(calendar.zone());
            case "week" -> new SlaPeriod.CalendarWeek(calendar.zone());
            case "quarter" -> new SlaPeriod.CalendarQuarter(calendar.zone());
            default -> rolling(node, text);
        };
    }

    private static SlaPeriod rolling(ConfigNode node, String text) {
        Matcher rolling = ROLLING.matcher(text);
        if (!rolling.matches()) {
            throw node.error("must be month, week, quarter or rolling <N>d like rolling 30d (was '" + node.text().trim()
                    + "')");
        }
        int days = Integer.parseInt(rolling.group(1));
        if (days < 1 || days > SlaPeriod.RollingDays.MAX_DAYS) {
            throw node.error("must roll over 1 to " + SlaPeriod.RollingDays.MAX_DAYS + " days (was '"
                    + node.text().trim() + "')");
        }
        return new SlaPeriod.RollingDays(days);
    }

    private static Objective objective(ConfigNode item) {
        Map<String, ConfigNode> entries = item.entries();
        item.rejectUnknown(Set.of("availability", "latency"));
        if (entries.size() != 1) {
            throw item.error("must hold exactly one objective, availability or latency (was "
                    + (entries.isEmpty() ? "none" : String.join(" and ", entries.keySet())) + ")");
        }
        if (item.has("availability")) {
            return new AvailabilityObjective(share(item.get("availability")));
        }
        ConfigNode latency = item.get("latency");
        latency.rejectUnknown(Set.of("threshold", "target", "percentile"));
        long thresholdMicros = thresholdMicros(latency);
        boolean target = latency.has("target");
        boolean percentile = latency.has("percentile");
        if (target == percentile) {
            throw latency.error("must set either target (the share of samples within the threshold, e.g. 99%) or "
                    + "percentile (e.g. p95)" + (target ? ", not both" : ""));
        }
        if (target) {
            return new LatencyRatioObjective(share(latency.get("target")), thresholdMicros);
        }
        return new LatencyPercentileObjective(percentile(latency.get("percentile")), thresholdMicros);
    }

    /** A share in (0, 1), written as a fraction (0.999) or a percentage (99.9%). */
    static double share(ConfigNode node) {
        String text = node.text().trim();
        boolean percent = text.endsWith("%");
        BigDecimal value;
        try {
            value = new BigDecimal(percent ? text.substring(0, text.length() - 1).trim() : text);
        } catch (NumberFormatException e) {
            throw node.error("must be a share like 99.9% or 0.999 (was '" + text + "')");
        }
        if (percent) {
            value = value.divide(HUNDRED);
        }
        if (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) >= 0) {
            throw node.error("must be above 0 and below 1, i.e. above 0% and below 100% (was " + text + ")");
        }
        return value.doubleValue();
    }

    private static long thresholdMicros(ConfigNode latency) {
        Duration threshold = latency.duration("threshold");
        long micros = threshold.toNanos() / 1_000;
        if (threshold.toNanos() % 1_000 != 0 || micros > Objective.MAX_THRESHOLD_MICROS) {
            throw latency.get("threshold").error("must be 1us to 1h in whole microseconds (was "
                    + latency.get("threshold").text().trim() + ")");
        }
        return micros;
    }

    private static double percentile(ConfigNode node) {
        String text = node.text().trim();
        Matcher matcher = PERCENTILE.matcher(text);
        double value = matcher.matches() ? Double.parseDouble(matcher.group(1)) : -1;
        if (!(value > 0 && value < 100)) {
            throw node.error("must be a percentile like p95 or p99.9, above 0 and below 100 (was '" + text + "')");
        }
        return value;
    }
}
