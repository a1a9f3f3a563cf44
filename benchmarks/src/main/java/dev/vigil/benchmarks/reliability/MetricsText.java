package dev.vigil.benchmarks.reliability;

import java.util.OptionalDouble;

/**
 * Reads values out of a Prometheus text exposition, as the agent and the collector serve it on
 * {@code /metrics}.
 */
final class MetricsText {
    private final String text;

    MetricsText(String text) {
        this.text = text;
    }

    /**
     * The sum of every series of {@code metric} (all label sets), or empty when the exposition has
     * none. Only exact names count: {@code vigil_ingest_samples_total} does not match
     * {@code vigil_ingest_samples_total_created}.
     */
    OptionalDouble sum(String metric) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(metric)) {
                continue;
            }
            int end = metric.length();
            if (line.length() <= end || (line.charAt(end) != '{' && line.charAt(end) != ' ')) {
                continue;
            }
            // The value follows the closing brace of the labels (label values may hold spaces), or the name.
            int valueStart = line.charAt(end) == '{' ? line.lastIndexOf('}') + 1 : end;
            String[] rest = line.substring(valueStart).trim().split(" +");
            sum += Double.parseDouble(rest[0]);
            found = true;
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** {@link #sum} as a whole number, 0 when absent (a counter not incremented yet is often not exposed). */
    long count(String metric) {
        return Math.round(sum(metric).orElse(0));
    }
}
