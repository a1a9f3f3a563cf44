/**
 * The agent's local journal: every sample is appended to a Chronicle Queue before anything else
 * happens to it (metrics, shipping), so what the agent measured survives a collector outage and an
 * agent restart, and what it loses is recorded (a gap), never silently dropped.
 *
 * <p><b>Format, epoch and roll cycle.</b> One excerpt per sample, holding its
 * {@link dev.vigil.protocol.SampleCodec} bytes; its address is the queue index, which the shipper
 * sends as the sample's {@code journalIndex}. Indexes are unique within the journal's <em>epoch</em>
 * ({@link dev.vigil.agent.journal.SampleJournal#epoch()}), created with the journal, so a wiped
 * journal never sends an index the collector already holds under the same epoch. The queue rolls as
 * configured ({@code journal.roll}, hourly by default), but an existing queue keeps its own roll
 * cycle: all cycle arithmetic uses the open queue's.
 *
 * <p><b>Disk budget.</b> Before each append the journal keeps {@code max_size} and {@code min_free}
 * by deleting its oldest cycle, after recording the unacknowledged samples in it in the
 * {@link dev.vigil.agent.journal.GapLog}; with only the current cycle left, the sample is refused and
 * recorded. Fully acknowledged cycles are deleted by
 * {@link dev.vigil.agent.journal.SampleJournal#settle}. The journal and the shipper agree under the
 * journal's lock on which samples are the shipper's ({@link dev.vigil.agent.journal.SampleJournal#claim}),
 * so a sample is never both sent and recorded as lost.
 *
 * <p><b>Threading rules.</b> Chronicle appenders and tailers are bound to a thread.
 * <ul>
 *   <li>Appends happen on one thread, {@code vigil-journal}, owned by
 *       {@link dev.vigil.agent.journal.JournalWriter}. Event loops hand samples over without
 *       blocking; the journal thread appends, then updates metrics and wakes the shipper.
 *       {@link dev.vigil.agent.journal.SampleJournal#append} itself is serialised, so a benchmark may
 *       also call it directly from one thread.</li>
 *   <li>Each {@link dev.vigil.agent.journal.JournalReader} (its own tailer) is used by one thread:
 *       the shipper's. Budget drops and deletions use short-lived tailers of their own.</li>
 *   <li>{@link dev.vigil.agent.journal.SampleJournal} is the queue's one owner and closes it, after
 *       the writer and the readers are done. The gap log is shared and thread-safe.</li>
 * </ul>
 *
 * <p><b>Durability.</b> Chronicle Queue keeps appends in memory-mapped files: they survive the
 * agent being killed (the page cache is the kernel's) but not a power loss. There is no fsync per
 * sample. The small state files (epoch, acknowledged position, gap log, instance id) are written
 * atomically and fsynced.
 */
package dev.vigil.agent.journal;
