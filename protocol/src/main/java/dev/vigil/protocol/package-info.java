/**
 * The sample model and the agent-to-collector wire format.
 *
 * <p>A {@link dev.vigil.protocol.Sample} is one probe run. It is stamped with the time the run was
 * <em>scheduled</em> to start, not the time it happened to start, so a stalled agent shows up as
 * {@code startLagNanos} instead of silently shifting the series (coordinated omission). Durations are
 * measured with {@code System.nanoTime} and carried in nanoseconds; a phase that was not part of the
 * run (no DNS lookup for an IP literal, no TLS for plain HTTP) is {@link dev.vigil.protocol.Sample#NOT_MEASURED}.
 *
 * <p>On the wire and in both journals a sample has one binary form, written by
 * {@link dev.vigil.protocol.SampleCodec}. The agent ships {@link dev.vigil.protocol.SampleRecord}s,
 * a sample with the index it has in the agent's journal, in batches framed by
 * {@link dev.vigil.protocol.BatchCodec}; the collector answers with an {@link dev.vigil.protocol.Ack}.
 * The layout is documented in {@code docs/protocol.md}. This package knows no I/O framework.
 */
package dev.vigil.protocol;
