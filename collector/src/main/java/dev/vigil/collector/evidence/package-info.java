/**
 * What the agents captured when checks failed (status line, headers, body start, DNS answers, TLS chain,
 * error text), kept by the collector per check location and shown with incidents.
 *
 * <p>The {@link dev.vigil.collector.evidence.EvidenceIndex} is derived state like the SLA figures: fed by
 * every sample the board applies, live and during the journal replay, and carried by the snapshot, so it
 * reads the same after a restart. It is bounded: per check location at most
 * {@value dev.vigil.collector.evidence.EvidenceIndex#MAX_ENTRIES} entries of at most
 * {@link dev.vigil.protocol.Evidence#MAX_ENCODED_BYTES} bytes of evidence each (plus the sample's detail).
 */
package dev.vigil.collector.evidence;
