/**
 * The probe benchmark: Vigil's probes side by side with Prometheus blackbox_exporter on the same
 * loopback targets (nginx) in one run, every figure reported beside blackbox_exporter's from that
 * same run.
 *
 * <p>Each prober is a process of its own, and its cost is the CPU time the kernel charged to that
 * process ({@code utime + stime} from {@code /proc/<pid>/stat}) over a measuring window; the driver
 * that asks blackbox_exporter for probes, the targets and the collector run in other processes and
 * are not counted. Latency errors are taken against a reference prober written in C that times
 * {@code connect()} (and the HTTP exchange) with nothing in between, run interleaved with the
 * probers so that all of them meet the same machine. {@code benchmarks/probes/run} prepares the
 * targets and starts {@link dev.vigil.benchmarks.probes.ProbeBenchMain}; {@code benchmarks/README.md}
 * says what each figure means.
 */
package dev.vigil.benchmarks.probes;
