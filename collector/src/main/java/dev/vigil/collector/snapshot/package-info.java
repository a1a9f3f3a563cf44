/**
 * Snapshots of the collector's derived state: check states, SLA timelines and latency, incidents.
 *
 * <p>The journal is the record; everything the collector computes from it could be rebuilt by
 * replaying it. Two things make that insufficient on its own: the journal keeps 40 days while SLA
 * history reaches back 13 months, and replaying weeks of samples makes a restart slow. So the
 * collector writes, every few minutes and when it stops, a snapshot of every {@link
 * dev.vigil.collector.snapshot.SnapshotPart} together with the index of the last journal entry they
 * include. At start it restores the newest readable snapshot and applies only the journal entries
 * after that index; entries up to it still pass through deduplication, which needs every agent's
 * high-water mark.
 *
 * <p>Capture happens on the event loop that owns the state, between two ingests, so a snapshot holds
 * exactly the entries up to its index: ingest appends to the journal and applies the entry in one
 * turn. Writing happens off the loop: a temporary file, fsync, an atomic rename, then the directory's
 * fsync; the two newest snapshots are kept, so a snapshot that turns out unreadable (a torn disk, a
 * checksum mismatch, a format from another version) falls back to the one before it, and only when
 * neither can be read does the collector replay the whole journal and say so in its log.
 */
package dev.vigil.collector.snapshot;
