package dev.vigil.collector.incident.sink;

import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.protocol.Evidence;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the sinks word failure evidence for people: ticket text, a flat map of details, one line. */
final class EvidenceText {
    /** The longest body excerpt a ticket or a details map shows, in characters. */
    static final int MAX_BODY_CHARS = 500;
    /** The longest value in a flat details map, in characters. */
    static final int MAX_VALUE_CHARS = 1000;

    private EvidenceText() {
    }

    /**
     * A ticket's evidence section: per entry its summary, then the remote address, the headers, the start
     * of the body, the DNS answers, the TLS chain and the error, where present; empty text when there is
     * no entry.
     */
    static String ticket(List<EvidenceEntry> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("Evidence (first failure first):\n");
        for (EvidenceEntry entry : entries) {
            Evidence evidence = entry.evidence();
            text.append("- ").append(EvidenceJson.summary(entry)).append('\n');
            if (!evidence.remoteAddress().isEmpty()) {
                text.append("  Remote address: ").append(evidence.remoteAddress()).append('\n');
            }
            evidence.headers().forEach(h -> text.append("  ").append(h.name()).append(": ").append(h.value())
                    .append('\n'));
            if (!evidence.body().isEmpty()) {
                text.append("  Body").append(evidence.bodyTruncated() ? " (truncated)" : "").append(": ")
                        .append(IncidentText.cut(evidence.body(), MAX_BODY_CHARS)).append('\n');
            }
            evidence.dnsAnswers().forEach(answer -> text.append("  DNS: ").append(answer).append('\n'));
            evidence.tlsChain().forEach(c -> text.append("  TLS: ").append(c.subject()).append(" (issuer ")
                    .append(c.issuer()).append(", until ").append(Instant.ofEpochMilli(c.notAfterEpochMillis()))
                    .append(")\n"));
            if (!evidence.error().isEmpty()) {
                text.append("  Error: ").append(evidence.error()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * The first entry as flat {@code evidence.<field>} strings (for tools whose details are a string map),
     * in a fixed order, empty fields left out; an empty map when there is no entry.
     */
    static Map<String, String> flat(List<EvidenceEntry> entries) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            return flat;
        }
        EvidenceEntry first = entries.get(0);
        Evidence evidence = first.evidence();
        put(flat, "evidence.check", first.key().id());
        put(flat, "evidence.at", Instant.ofEpochMilli(first.atEpochMillis()).toString());
        put(flat, "evidence.outcome", first.sample().outcome().name());
        put(flat, "evidence.status_line", evidence.statusLine());
        put(flat, "evidence.remote_address", evidence.remoteAddress());
        put(flat, "evidence.body", IncidentText.cut(evidence.body(), MAX_BODY_CHARS));
        put(flat, "evidence.dns_answers", String.join("; ", evidence.dnsAnswers()));
        if (!evidence.tlsChain().isEmpty()) {
            put(flat, "evidence.tls_leaf", evidence.tlsChain().get(0).subject());
        }
        put(flat, "evidence.error", evidence.error());
        return flat;
    }

    /** {@code description}, then a blank line and the ticket section of {@code entries} if there are any. */
    static String appended(String description, List<EvidenceEntry> entries) {
        return entries.isEmpty() ? description : description + "\n\n" + ticket(entries);
    }

    /** {@code first failure: <summary>}, or empty text when there is no entry. */
    static String line(List<EvidenceEntry> entries) {
        return EvidenceJson.firstFailure(entries);
    }

    private static void put(Map<String, String> flat, String name, String value) {
        if (!value.isEmpty()) {
            flat.put(name, IncidentText.cut(value, MAX_VALUE_CHARS));
        }
    }
}
