package dev.vigil.agent.blackbox;

import dev.vigil.agent.probe.ProbeFact;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metrics of one probe run in the Prometheus text format, named and described as
 * blackbox_exporter names and describes them.
 *
 * <p>blackbox_exporter registers each prober's gauges before it probes, so a run that fails early
 * still reports them at 0; Vigil starts from the same set. Values then come from the result's phases
 * and status (the DNS lookup, the HTTP phases and status code), and finally from the facts the probe
 * recorded, which win over both. {@code probe_vigil_outcome} adds the named outcome.
 */
final class ProbeExposition {
    /** The content type of the exposition. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("probe_success", "Displays whether or not the probe was a success"),
            Map.entry("probe_duration_seconds", "Returns how long the probe took to complete in seconds"),
            Map.entry("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds"),
            Map.entry("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6"),
            Map.entry("probe_ip_addr_hash",
                    "Specifies the hash of IP address. It's useful to detect if the IP address changes."),
            Map.entry("probe_failed_due_to_regex", "Indicates if probe failed due to regex"),
            Map.entry("probe_http_content_length", "Length of http content response"),
            Map.entry("probe_http_duration_seconds", "Duration of http request by phase, summed over all redirects"),
            Map.entry("probe_http_redirects", "The number of redirects"),
            Map.entry("probe_http_ssl", "Indicates if SSL was used for the final redirect"),
            Map.entry("probe_http_status_code", "Response HTTP status code"),
            Map.entry("probe_http_uncompressed_body_length", "Length of uncompressed response body"),
            Map.entry("probe_http_version", "Returns the version of HTTP of the probe response"),
            Map.entry("probe_http_last_modified_timestamp_seconds",
                    "Returns the Last-Modified HTTP response header in unixtime"),
            Map.entry("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime"),
            Map.entry("probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL chain expiry in timestamp"),
            Map.entry("probe_ssl_last_chain_info", "Contains SSL leaf certificate information"),
            Map.entry("probe_tls_version_info", "Returns the TLS version used or NaN when unknown"),
            Map.entry("probe_tls_cipher_info", "Returns the TLS cipher negotiated during handshake"),
            Map.entry("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list"),
            Map.entry("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list"),
            Map.entry("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list"),
            Map.entry("probe_dns_duration_seconds", "Duration of DNS request by phase"),
            Map.entry("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully"),
            Map.entry("probe_dns_serial", "Returns the serial number of the zone"),
            Map.entry("probe_icmp_duration_seconds", "Duration of icmp request by phase"),
            Map.entry("probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)"),
            Map.entry("probe_vigil_outcome", "Vigil's outcome of the probe, named: OK, or why it failed"));
    private static final String OTHER_HELP = "Measured by the Vigil probe";
    private static final Set<Outcome> HTTP_REGEX_FAILURES = Set.of(Outcome.BODY_MISMATCH, Outcome.ASSERTION_FAILED);
    private static final Set<Outcome> DNS_ANSWERED = Set.of(Outcome.OK, Outcome.STATUS_MISMATCH, Outcome.ASSERTION_FAILED);

    /** Metric name → label text ({@code {phase="connect"}} or empty) → value, both sorted. */
    private final Map<String, Map<String, Double>> families = new TreeMap<>();

    private ProbeExposition() {
    }

    /**
     * The metrics of a run of {@code prober} ({@code http}, {@code tcp}, {@code dns}, {@code icmp})
     * that ended with {@code result} after {@code durationSeconds}.
     */
    static String render(String prober, ProbeResult result, double durationSeconds) {
        ProbeExposition metrics = new ProbeExposition();
        metrics.baseline(prober, result);
        metrics.set("probe_success", "", result.outcome() == Outcome.OK ? 1 : 0);
        metrics.set("probe_duration_seconds", "", durationSeconds);
        for (ProbeFact fact : result.facts()) {
            metrics.set(fact.name(), labels(fact.labels()), fact.value());
        }
        metrics.set("probe_vigil_outcome", labels(Map.of("outcome", result.outcome().name())), 1);
        return metrics.text();
    }

    private void baseline(String prober, ProbeResult result) {
        double dns = seconds(result.dnsNanos());
        set("probe_dns_lookup_time_seconds", "", dns);
        set("probe_ip_protocol", "", 0);
        set("probe_ip_addr_hash", "", 0);
        switch (prober) {
            case "http" -> {
                set("probe_failed_due_to_regex", "", HTTP_REGEX_FAILURES.contains(result.outcome()) ? 1 : 0);
                set("probe_http_content_length", "", 0);
                set("probe_http_duration_seconds", phase("resolve"), dns);
                set("probe_http_duration_seconds", phase("connect"), seconds(result.connectNanos()));
                set("probe_http_duration_seconds", phase("tls"), seconds(result.tlsNanos()));
                set("probe_http_duration_seconds", phase("processing"), seconds(result.firstByteNanos()));
                set("probe_http_duration_seconds", phase("transfer"), 0);
                set("probe_http_redirects", "", 0);
                set("probe_http_ssl", "", result.tlsNanos() == Sample.NOT_MEASURED ? 0 : 1);
                set("probe_http_status_code", "", result.statusCode());
                set("probe_http_uncompressed_body_length", "", 0);
                set("probe_http_version", "", 0);
            }
            case "tcp" -> set("probe_failed_due_to_regex", "", result.outcome() == Outcome.ASSERTION_FAILED ? 1 : 0);
            case "dns" -> {
                set("probe_dns_answer_rrs", "", 0);
                set("probe_dns_authority_rrs", "", 0);
                set("probe_dns_additional_rrs", "", 0);
                set("probe_dns_duration_seconds", phase("resolve"), dns);
                set("probe_dns_duration_seconds", phase("connect"), seconds(result.connectNanos()));
                set("probe_dns_duration_seconds", phase("request"), seconds(result.firstByteNanos()));
                set("probe_dns_query_succeeded", "", DNS_ANSWERED.contains(result.outcome()) ? 1 : 0);
            }
            case "icmp" -> {
                set("probe_icmp_duration_seconds", phase("resolve"), dns);
                set("probe_icmp_duration_seconds", phase("setup"), 0);
                set("probe_icmp_duration_seconds", phase("rtt"), 0);
            }
            default -> {
                // Other probers have no gauges of their own.
            }
        }
    }

    private void set(String name, String labels, double value) {
        families.computeIfAbsent(name, key -> new TreeMap<>()).put(labels, value);
    }

    private String text() {
        StringBuilder text = new StringBuilder(2048);
        for (Map.Entry<String, Map<String, Double>> family : families.entrySet()) {
            String name = family.getKey();
            text.append("# HELP ").append(name).append(' ')
                    .append(HELP.getOrDefault(name, OTHER_HELP).replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n');
            text.append("# TYPE ").append(name).append(" gauge\n");
            for (Map.Entry<String, Double> sample : family.getValue().entrySet()) {
                text.append(name).append(sample.getKey()).append(' ').append(number(sample.getValue())).append('\n');
            }
        }
        return text.toString();
    }

    private static String phase(String phase) {
        return labels(Map.of("phase", phase));
    }

    /** {@code {a="x",b="y"}} with names sorted and values escaped, or empty for no labels. */
    static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
        }
        return text.append('}').toString();
    }

    /** A label value escaped for the text format: backslash, double quote and line feed. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A sample value as the text format writes it. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static double seconds(long nanos) {
        return nanos == Sample.NOT_MEASURED ? 0 : nanos / 1e9;
    }
}
