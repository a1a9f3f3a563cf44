package dev.vigil.collector.status;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the status page and the badges write figures, times and text: one place, so both agree. */
final class PageText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private PageText() {
    }

    /**
     * {@code availability} (0..1) as a percentage with up to two decimals, rounded down so that a day
     * with any downtime never reads 100%: {@code 99.95%}, {@code 100%}.
     */
    static String percent(double availability) {
        if (availability >= 1.0) {
            return "100%";
        }
        // Integer arithmetic, not String.format: a page writes this some ten thousand times.
        long hundredths = (long) Math.floor(Math.max(0, availability) * 10_000);
        long fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction + "%";
    }

    /** A duration for people, two units at most: {@code 45s}, {@code 5m}, {@code 1h 20m}, {@code 2d 3h}. */
    static String duration(long millis) {
        long seconds = Math.max(0, millis) / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h " + minutes % 60 + "m";
        }
        return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d " + hours % 24 + "h";
    }

    /** A latency for people: {@code 0.8 ms}, {@code 123 ms}, {@code 12.3 s}. */
    static String latency(long micros) {
        if (micros < 1_000) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
        }
        if (micros < 10_000_000) {
            return micros / 1_000 + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", micros / 1_000_000.0);
    }

    /** The UTC date of {@code epochMillis}: {@code 2026-11-20}. */
    static String date(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L)).toString();
    }

    /** The UTC time of {@code epochMillis} to the minute: {@code 2026-11-20 12:00 UTC}. */
    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code text} safe in HTML and XML text and in quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters other than tab and newline are not allowed in XML (badges).
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
