package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.DailyHours;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.config.ConfigNode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a calendar: {@code {zone: Europe/Berlin, hours: {mon-fri: "08:00-18:00"}, holidays: [2026-12-25]}}.
 * Without {@code hours} every hour of every day is service time; spans of one day must not overlap.
 */
final class CalendarReader {
    private static final Pattern RANGE = Pattern.compile("([^-\\s]+)\\s*-\\s*([^-\\s]+)");

    private CalendarReader() {
    }

    /** A span as written, kept to name both spans when two overlap. */
    private record Written(DailyHours hours, String key, String text) {
    }

    static ServiceCalendar read(String name, ConfigNode node, Origin origin) {
        node.rejectUnknown(origin.namedItemFields("zone", "hours", "holidays"));
        ItemNames.checkBodyName(node, name, origin);
        ZoneId zone = WallClock.zone(node, "zone");
        Map<DayOfWeek, List<DailyHours>> weekly = node.find("hours").map(CalendarReader::hours)
                .orElseGet(CalendarReader::allDay);
        Set<LocalDate> holidays = new HashSet<>();
        for (ConfigNode item : node.list("holidays")) {
            String text = item.text().trim();
            try {
                holidays.add(LocalDate.parse(text));
            } catch (DateTimeParseException e) {
                throw item.error("must be a date like 2026-12-25 (was '" + text + "')");
            }
        }
        return new ServiceCalendar(name, zone, weekly, holidays);
    }

    private static Map<DayOfWeek, List<DailyHours>> hours(ConfigNode hours) {
        Map<String, ConfigNode> entries = hours.entries();
        if (entries.isEmpty()) {
            throw hours.error("must name at least one day; leave hours out for every hour of every day");
        }
        Map<DayOfWeek, List<Written>> byDay = new EnumMap<>(DayOfWeek.class);
        entries.forEach((key, value) -> {
            Set<DayOfWeek> days = WallClock.days(value, key);
            List<ConfigNode> spans = WallClock.isList(value) ? value.items() : List.of(value);
            if (spans.isEmpty()) {
                throw value.error("must list at least one span like 08:00-18:00; leave the day out to close it");
            }
            for (ConfigNode span : spans) {
                Written written = new Written(span(span), key, span.text().trim());
                for (DayOfWeek day : days) {
                    List<Written> ofDay = byDay.computeIfAbsent(day, d -> new ArrayList<>());
                    for (Written other : ofDay) {
                        if (written.hours().startMinute() < other.hours().endMinute()
                                && other.hours().startMinute() < written.hours().endMinute()) {
                            throw span.error("overlaps " + other.key() + " on " + dayName(day) + " ('" + written.text()
                                    + "' and '" + other.text() + "'); spans of one day must not overlap");
                        }
                    }
                    ofDay.add(written);
                }
            }
        });
        Map<DayOfWeek, List<DailyHours>> weekly = new EnumMap<>(DayOfWeek.class);
        byDay.forEach((day, spans) -> weekly.put(day, spans.stream().map(Written::hours)
                .sorted(Comparator.comparingInt(DailyHours::startMinute)).toList()));
        return weekly;
    }

    private static DailyHours span(ConfigNode node) {
        String text = node.text().trim();
        Matcher matcher = RANGE.matcher(text);
        if (!matcher.matches()) {
            throw node.error("must be a span of time like 08:00-18:00 (was '" + text + "')");
        }
        int start = WallClock.minuteOfDay(node, matcher.group(1), false);
        int end = WallClock.minuteOfDay(node, matcher.group(2), true);
        if (end <= start) {
            throw node.error("must end after it starts (was '" + text + "'); hours past midnight are two spans, "
                    + "e.g. 22:00-24:00 and 00:00-06:00 on the next day");
        }
        return new DailyHours(start, end);
    }

    private static String dayName(DayOfWeek day) {
        String name = day.name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static Map<DayOfWeek, List<DailyHours>> allDay() {
        Map<DayOfWeek, List<DailyHours>> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            weekly.put(day, List.of(DailyHours.ALL_DAY));
        }
        return weekly;
    }
}
