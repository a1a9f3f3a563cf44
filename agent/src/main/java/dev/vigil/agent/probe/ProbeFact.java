package dev.vigil.agent.probe;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One figure a run measured beyond the sample's phases, named as blackbox_exporter names it
 * ({@code probe_http_status_code}, {@code probe_ssl_earliest_cert_expiry},
 * {@code probe_dns_answer_rrs}, ...), so the {@code /probe} endpoint can expose it unchanged.
 *
 * @param name   a Prometheus metric name
 * @param labels label names to values, sorted by name; empty for most facts
 * @param value  the figure, in base units (seconds, bytes, Unix seconds for timestamps)
 */
public record ProbeFact(String name, Map<String, String> labels, double value) {

    /** Checks the name and copies the labels, sorted. */
    public ProbeFact {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a metric name: '" + name + "'");
        }
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** A fact without labels. */
    public static ProbeFact of(String name, double value) {
        return new ProbeFact(name, Map.of(), value);
    }

    /** A fact with one label. */
    public static ProbeFact of(String name, String label, String labelValue, double value) {
        return new ProbeFact(name, Map.of(label, labelValue), value);
    }
}
