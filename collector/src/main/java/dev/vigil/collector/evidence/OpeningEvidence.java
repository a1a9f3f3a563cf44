package dev.vigil.collector.evidence;

import dev.vigil.collector.incident.Incident;
import java.util.List;

/**
 * The failure evidence the sinks send with an incident's opening (see {@link EvidenceIndex#atOpening}),
 * the first failure first.
 */
@FunctionalInterface
public interface OpeningEvidence {
    /** No evidence: for sinks built without an index. */
    OpeningEvidence NONE = incident -> List.of();

    /** The evidence of {@code incident}'s opening, the first failure first; empty when there is none. */
    List<EvidenceEntry> of(Incident incident);
}
