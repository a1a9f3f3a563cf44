package dev.vigil.agent.blackbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A Prometheus text exposition read back: each series ({@code name{labels}}) with its value. */
record Exposition(Map<String, Double> series) {

    static Exposition parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Exposition(series);
    }

    /** The metric names, sorted. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String key : series.keySet()) {
            int brace = key.indexOf('{');
            names.add(brace < 0 ? key : key.substring(0, brace));
        }
        return names;
    }

    /** The value of {@code seriesKey}, e.g. {@code probe_success} or {@code probe_http_duration_seconds{phase="tls"}}. */
    double value(String seriesKey) {
        Double value = series.get(seriesKey);
        if (value == null) {
            throw new AssertionError("no series " + seriesKey + " in " + series.keySet());
        }
        return value;
    }
}
