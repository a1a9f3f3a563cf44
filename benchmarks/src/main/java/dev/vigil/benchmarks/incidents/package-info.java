/**
 * The incident-open benchmark of issue 6: how long after the sample that confirms an outage the
 * operator's tool hears of it, while the collector ingests a steady background of healthy samples.
 *
 * <p>A real {@link dev.vigil.collector.Collector} runs in the harness's JVM with
 * {@code failures_to_open: 2} and a webhook sink to an {@link dev.vigil.benchmarks.incidents.ArrivalReceiver}
 * on loopback. An {@link dev.vigil.benchmarks.incidents.IngestFeeder} ships protocol batches to
 * {@code /api/v1/ingest} as an agent does. Each round makes one victim service fail twice; the span
 * measured is from just before the POST of the batch carrying the second (confirming) failure to the
 * arrival of the {@code incident.opened} webhook, both read from {@link System#nanoTime()} in this JVM.
 * Beside it, in the same round and under the same background: Prometheus Alertmanager turning a posted
 * alert into a webhook ({@code group_wait: 0s}), and a bare POST to the receiver, the floor.
 *
 * <p>{@link dev.vigil.benchmarks.incidents.IncidentLatencyMain} runs it; {@code benchmarks/README.md}
 * has the figures.
 */
package dev.vigil.benchmarks.incidents;
