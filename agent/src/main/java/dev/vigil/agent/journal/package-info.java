/**
 * The agent's local journal: every sample is appended to a Chronicle Queue before anything else
 * happens to it (metrics, shipping), so what the agent measured survives a collector outage and an
 * agent restart.
 *
 * <p><b>Format and roll cycle.</b> One excerpt per sample, holding its
 * {@link dev.vigil.protocol.SampleCodec} bytes; its address is the queue index, which the shipper
 * sends as the sample's {@code journalIndex}. The queue rolls daily
 * ({@link dev.vigil.agent.journal.SampleJournal#ROLL_CYCLE}): days of buffering are a handful of
 * files, and once the collector has acknowledged a sample of a later day, the earlier days' files
 * are deleted ({@link dev.vigil.agent.journal.SampleJournal#deleteFilesBefore}).
 *
 * <p><b>Threading rules.</b> Chronicle appenders and tailers are bound to a thread.
 * <ul>
 *   <li>Appends happen on one thread, {@code vigil-journal}, owned by
 *       {@link dev.vigil.agent.journal.JournalWriter}. Event loops hand samples over without
 *       blocking; the journal thread appends, then updates metrics and wakes the shipper.
 *       {@link dev.vigil.agent.journal.SampleJournal#append} itself is serialised, so a benchmark may
 *       also call it directly from one thread.</li>
 *   <li>Each {@link dev.vigil.agent.journal.JournalReader} (its own tailer) is used by one thread:
 *       the shipper's.</li>
 *   <li>{@link dev.vigil.agent.journal.SampleJournal} is the queue's one owner and closes it, after
 *       the writer and the readers are done.</li>
 * </ul>
 *
 * <p><b>Durability.</b> Chronicle Queue keeps appends in memory-mapped files: they survive the
 * agent being killed (the page cache is the kernel's) but not a power loss. There is no fsync per
 * sample.
 */
package dev.vigil.agent.journal;
