package dev.vigil.collector.evidence;

import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The one JSON shape of an evidence entry, used by the API, the webhook and the other sinks:
 * {@code agent, check, at, outcome, status_code, detail, phases {dns_ms, connect_ms, tls_ms,
 * first_byte_ms, total_ms}, remote_address, status_line, headers [{name, value}], body, body_truncated,
 * dns_answers, tls_chain [{subject, issuer, not_before, not_after, sha256}], error}; and the one-line
 * summary chat messages and reports use. Depends only on the entry, so a payload built from it is the
 * same bytes every time.
 */
public final class EvidenceJson {
    /** The longest one-line summary, in characters. */
    public static final int MAX_SUMMARY_CHARS = 300;

    private EvidenceJson() {
    }

    /** {@code entry} as JSON. */
    public static JsonObject of(EvidenceEntry entry) {
        Sample sample = entry.sample();
        Evidence evidence = entry.evidence();
        JsonArray headers = new JsonArray();
        evidence.headers().forEach(h -> headers.add(new JsonObject().put("name", h.name()).put("value", h.value())));
        JsonArray chain = new JsonArray();
        evidence.tlsChain().forEach(c -> chain.add(new JsonObject()
                .put("subject", c.subject())
                .put("issuer", c.issuer())
                .put("not_before", Instant.ofEpochMilli(c.notBeforeEpochMillis()).toString())
                .put("not_after", Instant.ofEpochMilli(c.notAfterEpochMillis()).toString())
                .put("sha256", c.sha256())));
        return new JsonObject()
                .put("agent", entry.key().agent())
                .put("check", entry.key().check())
                .put("at", Instant.ofEpochMilli(entry.atEpochMillis()).toString())
                .put("outcome", sample.outcome().name())
                .put("status_code", sample.statusCode())
                .put("detail", sample.detail())
                .put("phases", new JsonObject()
                        .put("dns_ms", millis(sample.dnsNanos()))
                        .put("connect_ms", millis(sample.connectNanos()))
                        .put("tls_ms", millis(sample.tlsNanos()))
                        .put("first_byte_ms", millis(sample.firstByteNanos()))
                        .put("total_ms", millis(sample.totalNanos())))
                .put("remote_address", evidence.remoteAddress())
                .put("status_line", evidence.statusLine())
                .put("headers", headers)
                .put("body", evidence.body())
                .put("body_truncated", evidence.bodyTruncated())
                .put("dns_answers", new JsonArray(List.copyOf(evidence.dnsAnswers())))
                .put("tls_chain", chain)
                .put("error", evidence.error());
    }

    /** Every entry, in order, as a JSON array. */
    public static JsonArray of(List<EvidenceEntry> entries) {
        JsonArray array = new JsonArray();
        entries.forEach(entry -> array.add(of(entry)));
        return array;
    }

    /**
     * What failed, in one line: the status line, else the error's first line, else the outcome and detail;
     * then {@code at <instant> (<agent>/<check>)}; at most {@link #MAX_SUMMARY_CHARS} characters.
     */
    public static String summary(EvidenceEntry entry) {
        Evidence evidence = entry.evidence();
        String what;
        if (!evidence.statusLine().isBlank()) {
            what = evidence.statusLine();
        } else if (!evidence.error().isBlank()) {
            what = evidence.error().strip().lines().findFirst().orElse("");
        } else {
            Sample sample = entry.sample();
            what = sample.detail().isBlank() ? sample.outcome().name() : sample.outcome().name() + ": " + sample.detail();
        }
        String where = " at " + Instant.ofEpochMilli(entry.atEpochMillis()) + " (" + entry.key().id() + ")";
        int room = MAX_SUMMARY_CHARS - where.length();
        return (what.length() <= room ? what : what.substring(0, room - 1) + "…") + where;
    }

    /** {@code first failure: <summary>} of the first entry, or empty text when there is none. */
    public static String firstFailure(List<EvidenceEntry> entries) {
        return entries.isEmpty() ? "" : "first failure: " + summary(entries.get(0));
    }

    private static Double millis(long nanos) {
        return nanos == Sample.NOT_MEASURED ? null : nanos / 1_000_000.0;
    }
}
