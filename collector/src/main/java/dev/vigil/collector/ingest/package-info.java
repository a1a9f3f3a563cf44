/**
 * Agent-to-collector ingest: {@code POST /api/v1/ingest}, authentication, deduplication, ack; and
 * samples from elsewhere: {@code POST /api/v1/samples} ({@link dev.vigil.collector.ingest.SamplesRoute}).
 * An agent's credentials are checked by {@link dev.vigil.collector.ingest.AgentAuthenticator}, for the
 * assignment route too; what a write request (ingest, samples, heartbeats) passes before its body is
 * read, and how it is refused, is {@link dev.vigil.collector.ingest.RequestEdge}'s.
 *
 * <p>The agent's identity comes from its credential, never from the payload. A batch is decoded in
 * full before anything of it is kept: a batch whose framing is malformed is refused with 400 naming
 * the record and byte, one the collector cannot read yet (a newer version or outcome code) with 422,
 * and nothing of either reaches the journal. A record whose framing is sound but whose sample is
 * invalid, or is scheduled too far from the collector's clock, is refused on its own and listed in
 * the ack: it is settled, so the agent never sends it again.
 *
 * <p><strong>Deduplication by high-water mark per (agent, epoch).</strong> An agent journal epoch is
 * one incarnation of the agent's journal; within it, journal indexes are unique. Per (agent, epoch)
 * the collector keeps the highest index it has settled (appended or refused for good) and the highest
 * gap sequence it holds; a record or gap at or below its mark is a duplicate and is ignored. This is
 * exact, not a heuristic, because of how the agent ships: it sends its journal in increasing index
 * order (the codec rejects a batch that is not increasing), and it sends records past its
 * acknowledged position only after the previous batch was acked. So the collector never receives
 * index {@code n + 1} before it has settled every index the agent shipped up to {@code n}. A resend
 * after a lost ack is recognised record by record, and the ack's {@code ackedIndex} (the mark after
 * the batch) tells the agent where to continue.
 *
 * <p>The marks are rebuilt from the journal on start ({@link dev.vigil.collector.ingest.Ingestor#replaySample}).
 * Before journal retention deletes old files, the marks are saved to {@code <data_dir>/dedup-marks}
 * and loaded on the next start before the replay, so what deleted entries settled stays settled
 * ({@code DedupMarks}); marks only grow, so the order of the two does not matter.
 *
 * <p>New records are appended to the collector's journal, then applied to the checks, then acked: an
 * ack never covers a sample the journal does not hold. The check board keeps out a sample that is not
 * newer than its check's last one (see {@code dev.vigil.collector.state}); it is still journaled and
 * acked, and counted in {@code vigil_ingest_samples_unapplied_total}.
 *
 * <p><strong>Samples from elsewhere</strong> (another tool's JSON, heartbeats) have no agent journal.
 * They are journaled under the reserved epoch {@link dev.vigil.collector.ingest.ExternalSamples#EPOCH}
 * with their scheduled time as index, and only when the board would apply them: the check's last
 * applied sample is their high-water mark, so a retried request changes nothing, and a sample outside
 * the horizon or out of order is answered as refused instead of being journaled. Their replay leaves
 * the dedup marks alone.
 */
package dev.vigil.collector.ingest;
