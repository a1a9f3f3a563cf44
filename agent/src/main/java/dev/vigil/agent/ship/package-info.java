/**
 * Shipping the journal to the collector (protocol v2).
 *
 * <p>The {@link dev.vigil.agent.ship.Shipper} reads with its own journal reader and keeps two
 * positions apart: the <em>read</em> position (in memory, the reader's) and the <em>acknowledged</em>
 * position (the highest journal index of the journal's epoch the collector has settled, persisted
 * atomically in {@code <data_dir>/journal-acked} as {@code <epoch> <index>}). At start the persisted
 * position is checked against the journal and never silently restarted: another epoch ships the new
 * journal from its beginning; an index below the journal's first continues from the first; an index
 * the journal cannot have starts a new epoch after the journal's last index.
 *
 * <p>Each request carries the epoch, the agent's instance id, the pending gaps and the samples read
 * but not yet settled, which stay in memory and are sent again after any failure. Acks are
 * cumulative: the acknowledged position moves to {@code min(ackedIndex, last index sent)} of the
 * same epoch. Samples the collector refuses for good (rejections) are settled and counted. A 400 is
 * bisected down to the one sample, which is then given up as a {@code malformed} gap; 413 halves the
 * batch; 422 keeps everything and retries slowly; 429/503 wait for {@code Retry-After}; everything
 * else backs off with jitter ({@link dev.vigil.agent.ship.Backoff}). With the collector ignoring
 * (epoch, index) pairs it already holds, each sample is counted exactly once. Shipping runs on its
 * own thread and never touches the probing path.
 */
package dev.vigil.agent.ship;
