package dev.vigil.collector.report;

import dev.vigil.collector.evidence.EvidenceIndex;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.incident.Incident;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first failure of each incident in one line ({@code first failure: HTTP/1.1 503 ... at ...}), for
 * the incident rows of the report. Taken on the event loop when the report is requested, since the
 * evidence index is not thread-safe and the report is made elsewhere.
 *
 * @param firstFailures the line of each incident that has evidence, by incident key
 */
public record ReportEvidence(Map<String, String> firstFailures) {
    /** No evidence: every incident's first failure is empty text. */
    public static final ReportEvidence NONE = new ReportEvidence(Map.of());

    /** Copies. */
    public ReportEvidence {
        firstFailures = Map.copyOf(firstFailures);
    }

    /** The first failures of {@code incidents} as {@code index} keeps them at {@code nowEpochMillis}. */
    public static ReportEvidence of(List<Incident> incidents, EvidenceIndex index, long nowEpochMillis) {
        Map<String, String> lines = new HashMap<>();
        for (Incident incident : incidents) {
            String line = EvidenceJson.firstFailure(index.forIncident(incident, nowEpochMillis));
            if (!line.isEmpty()) {
                lines.put(incident.key(), line);
            }
        }
        return new ReportEvidence(lines);
    }

    /** The first failure of {@code incident} in one line, or empty text when there is no evidence. */
    public String firstFailure(Incident incident) {
        return firstFailures.getOrDefault(incident.key(), "");
    }
}
