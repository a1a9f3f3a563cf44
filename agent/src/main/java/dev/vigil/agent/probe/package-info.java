/**
 * Probes: one class per probe type behind the small {@link dev.vigil.agent.probe.Probe} interface,
 * built by {@link dev.vigil.agent.probe.ProbeFactory} from a check's
 * {@link dev.vigil.config.check.ProbeSpec}.
 *
 * <p><b>A failure is data.</b> A run always completes with a {@link dev.vigil.agent.probe.ProbeResult}
 * whose {@link dev.vigil.protocol.Outcome} says what went wrong: an exception, a peer closing early
 * or the deadline passing is mapped to an outcome by the phase the run was in (resolving, connecting,
 * TLS handshake, exchanging). {@code AGENT_ERROR} is reserved for what can only be a bug.
 *
 * <p><b>One new connection per run</b>, with {@code Connection: close} for HTTP: no pooling, so every
 * sample measures DNS, connect and TLS the way a new client meets them. An HTTP redirect is followed
 * on another new connection within the same run, which reports the final connection's phases. Names are resolved by
 * Netty's non-blocking resolver without caches; an IP literal skips DNS, which is then
 * {@link dev.vigil.protocol.Sample#NOT_MEASURED}. Phases are timed with {@code System.nanoTime}.
 *
 * <p><b>Threads.</b> Probes borrow the agent's single event loop group and never block it. A run is
 * confined to the event loop it is started on: the resolver's callbacks hop onto it, and its
 * deadline is a task scheduled on it. The timeout covers the whole run, DNS included.
 */
package dev.vigil.agent.probe;
