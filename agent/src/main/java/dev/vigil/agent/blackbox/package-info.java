/**
 * A drop-in for Prometheus' blackbox_exporter: {@code GET /probe?target=...&module=...} runs one Vigil
 * probe on demand, configured by an unchanged blackbox_exporter module file, and answers with the
 * metrics blackbox_exporter would.
 *
 * <p>The module file is read once at start: each module becomes a {@link dev.vigil.config.check.ProbeSpec}
 * prototype (built with a placeholder target, so that every setting is validated before the first
 * request) plus a timeout. A request then only swaps in its target ({@link dev.vigil.agent.blackbox.ProbeTargets}),
 * builds a one-off check and runs it on the request's event loop with the agent's shared
 * {@link dev.vigil.agent.probe.ProbeFactory}; nothing blocks the loop, and a cap on runs in flight keeps
 * a flood of requests from piling up probes.
 *
 * <p>What blackbox_exporter rejects when loading, Vigil rejects too (unknown fields, bad regular
 * expressions, ...), with the file, line and path of the setting. What blackbox_exporter accepts but
 * Vigil cannot do (the grpc prober, compression, OAuth 2.0, ...) does not stop the file from loading:
 * the module is marked unsupported, a warning names the option and its line, and {@code /probe} with
 * that module answers 400 with the same message.
 */
package dev.vigil.agent.blackbox;
