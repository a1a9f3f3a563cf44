/**
 * Shipping the journal to the collector, and the acknowledged position.
 *
 * <p>The {@link dev.vigil.agent.ship.Shipper} reads with its own journal reader and keeps two
 * positions apart: the <em>read</em> position (in memory, the reader's) and the <em>acknowledged</em>
 * position (the highest journal index the collector confirmed it holds, persisted atomically in
 * {@code <data_dir>/journal-acked}). The acknowledged position moves only on an
 * {@link dev.vigil.protocol.Ack}; after any failure the reader goes back to it. On start the shipper
 * resumes just after the persisted acknowledged index, or, if that index is no longer in the journal,
 * from the oldest sample left, and says so in the log.
 *
 * <p>Indexes restart when the journal is wiped, and within a UTC day they restart below the ones the
 * collector already holds for this agent, so the collector drops the new samples as duplicates. Until
 * the protocol carries a journal epoch, the shipper cannot prevent this. It reports it: an ERROR and
 * {@code vigil_agent_samples_rejected_as_duplicate_total}, both when it finds the persisted index missing
 * from a journal that starts below it and when an ack takes a whole batch for duplicates while the
 * collector's index is beyond anything sent.
 *
 * <p>Delivery is at least once; with the collector ignoring journal indexes it already holds, each
 * sample is counted exactly once. Failures (connection refused, timeouts, 5xx, 401, other 4xx) keep
 * every sample and retry with exponential backoff and jitter ({@link dev.vigil.agent.ship.Backoff}), and
 * so does an unexpected exception, which must not end the shipper's thread. Shipping runs on its own
 * thread and never touches the probing path.
 */
package dev.vigil.agent.ship;
