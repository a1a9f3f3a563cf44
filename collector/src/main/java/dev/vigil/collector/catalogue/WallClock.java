package dev.vigil.collector.catalogue;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall-clock notation shared by calendars and maintenance windows: IANA zones, days of the week and
 * ranges of them ({@code mon-fri}), and times of day on a minute ({@code 08:00}, {@code 24:00} as an end).
 */
final class WallClock {
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final Pattern TIME_WITH_SECONDS = Pattern.compile("\\d{1,2}:\\d{2}:\\d{2}(\\.\\d+)?");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private WallClock() {
    }

    /** The required IANA zone at {@code key}. */
    static ZoneId zone(ConfigNode parent, String key) {
        ConfigNode node = parent.get(key);
        String text = node.text().trim();
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw node.error("must be an IANA time zone like Europe/Berlin or UTC (was '" + text + "')");
        }
    }

    /**
     * The days a text names: {@code mon}, {@code monday}, {@code mon-fri} (a range may wrap:
     * {@code fri-mon}), or several of these separated by commas.
     */
    static Set<DayOfWeek> days(ConfigNode node, String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",", -1)) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2) {
                throw notDays(node, text);
            }
            DayOfWeek first = day(node, text, range[0]);
            DayOfWeek last = range.length == 2 ? day(node, text, range[1]) : first;
            for (DayOfWeek day = first; ; day = day.plus(1)) {
                days.add(day);
                if (day == last) {
                    break;
                }
            }
        }
        return days;
    }

    /** The days at {@code node}: one text ({@code mon-fri}) or a list of them ({@code [sat, sun]}). */
    static Set<DayOfWeek> dayList(ConfigNode node) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (isList(node)) {
            List<ConfigNode> items = node.items();
            if (items.isEmpty()) {
                throw node.error("must name at least one day");
            }
            for (ConfigNode item : items) {
                days.addAll(days(item, item.text()));
            }
        } else {
            days.addAll(days(node, node.text()));
        }
        return days;
    }

    /** A time of day on a minute, {@code HH:MM}, as minutes after midnight; 24:00 (1440) only if allowed. */
    static int minuteOfDay(ConfigNode node, String text, boolean endOfDayAllowed) {
        String trimmed = text.trim();
        Matcher matcher = TIME.matcher(trimmed);
        if (!matcher.matches()) {
            if (TIME_WITH_SECONDS.matcher(trimmed).matches()) {
                throw node.error("must be on a minute, without seconds (was '" + trimmed + "')");
            }
            throw node.error("must be a time of day like 08:00 (was '" + trimmed + "')");
        }
        int hour = Integer.parseInt(matcher.group(1));
        int minute = Integer.parseInt(matcher.group(2));
        if (hour == 24 && minute == 0 && endOfDayAllowed) {
            return 24 * 60;
        }
        if (hour > 23 || minute > 59) {
            throw node.error("must be a time of day from 00:00 to " + (endOfDayAllowed ? "24:00" : "23:59")
                    + " (was '" + trimmed + "')");
        }
        return hour * 60 + minute;
    }

    /** The required time of day on a minute at {@code key}. */
    static LocalTime timeOfDay(ConfigNode parent, String key) {
        ConfigNode node = parent.get(key);
        int minute = minuteOfDay(node, node.text(), false);
        return LocalTime.of(minute / 60, minute % 60);
    }

    /** {@code minute} after midnight as {@code HH:MM}; 1440 is {@code 24:00}. */
    static String format(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    /** The short name of {@code day}, as written in files: {@code mon}. */
    static String format(DayOfWeek day) {
        return DAYS.get(day.getValue() - 1);
    }

    /** Whether {@code node} is a list rather than a single value or a mapping. */
    static boolean isList(ConfigNode node) {
        // ConfigNode tells a node's kind only by refusing the wrong getter.
        try {
            node.items();
            return true;
        } catch (ConfigException notAList) {
            return false;
        }
    }

    private static DayOfWeek day(ConfigNode node, String text, String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.length() >= 3) {
            for (DayOfWeek day : DayOfWeek.values()) {
                String full = day.name().toLowerCase(Locale.ROOT);
                if (full.startsWith(lower) && (lower.length() == 3 || lower.equals(full))) {
                    return day;
                }
            }
        }
        throw notDays(node, text);
    }

    private static RuntimeException notDays(ConfigNode node, String text) {
        return node.error("must be a day or a range of days like mon-fri, days being " + String.join(", ", DAYS)
                + " (was '" + text.trim() + "')");
    }
}
