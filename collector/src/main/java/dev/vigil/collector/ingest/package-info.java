/**
 * Agent-to-collector ingest: {@code POST /api/v1/ingest}, authentication, deduplication, ack.
 *
 * <p>The agent's identity comes from its bearer token, never from the payload. A batch is decoded in
 * full before anything of it is kept: a malformed batch is refused with 400 naming the record and
 * byte, and nothing of it reaches the journal.
 *
 * <p><strong>Deduplication by high-water mark.</strong> Per agent the collector keeps the highest
 * agent journal index it holds; a record at or below it is a duplicate and is ignored. This is exact,
 * not a heuristic, because of how the agent ships: it sends its journal in increasing index order
 * (the codec rejects a batch that is not increasing), and it sends records past its acknowledged
 * position only after the previous batch was acked. So the collector never receives index
 * {@code n + 1} before it holds every index the agent shipped up to {@code n}: every index at or below
 * the mark is either held or was never sent (gaps in the agent's indexes are its journal's, not
 * losses). A resend after a lost ack is therefore recognised record by record, and the ack's
 * {@code ackedIndex} (the mark after the batch) tells the agent where to continue. The marks are
 * rebuilt from the journal on start. An agent whose journal is wiped must come back under a new
 * name or with indexes above its old ones (a journal epoch is planned in the protocol).
 *
 * <p>New records are appended to the collector's journal, then applied to the checks, then acked: an
 * ack never covers a sample the journal does not hold. The check board keeps out a sample that is not
 * newer than its check's last one or is stamped too far from its receive time (see
 * {@code dev.vigil.collector.state}); it is still journaled and acked, and counted in
 * {@code vigil_ingest_samples_unapplied_total}.
 */
package dev.vigil.collector.ingest;
