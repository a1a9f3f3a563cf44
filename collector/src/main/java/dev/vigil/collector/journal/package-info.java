/**
 * The collector's journal: the durable record of every accepted sample and every gap notice, and the
 * one source the collector's state is rebuilt from.
 *
 * <p>A sample entry holds the agent's name (from its credential), the agent journal's epoch, the
 * sample's index in that journal, the collector's receive time and the sample in its wire form; a gap
 * entry holds the agent's notice of samples it lost. A batch is appended before it is acked
 * and before it is applied, so what an ack covers is in the journal. On start the whole journal is
 * replayed through the same code as live ingest (dedup marks, check state, SLA figures, incidents), so
 * a restart rebuilds exactly the state the collector had; the receive time comes from the entry, not
 * the clock, so a replay gives the same incident detection times.
 *
 * <p><strong>Threading.</strong> Chronicle appenders and tailers are bound to the thread that uses
 * them. {@link dev.vigil.collector.journal.CollectorJournal} is therefore used on exactly one thread:
 * the event loop of the collector verticle, which also owns the check state, the SLA figures and the
 * incidents. Opening, replaying, appending and closing all happen there. An append is a copy into a
 * memory-mapped file (about a microsecond); the occasional mapping of the next chunk is accepted on
 * the event loop rather than paying a thread hop per batch. Should a benchmark show stalls, the
 * journal moves to a dedicated thread behind this same class.
 *
 * <p>Chronicle Queue's open-source edition has no fsync: an entry survives the process being killed
 * (it is in the page cache), not the machine losing power. The journal rolls daily; files older than
 * {@code journal.retention} (default 40 days, at least 35) are deleted, after the dedup marks were
 * saved. What remains is replayed in full on start; state snapshots come with the SLA engine.
 */
package dev.vigil.collector.journal;
