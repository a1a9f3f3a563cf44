/**
 * The agent's own HTTP endpoint on {@code listen}: {@code /metrics} for Prometheus and
 * {@code /healthz} for liveness checks. It shares the agent's event loop group; rendering metrics is
 * CPU work on a snapshot and never blocks the loop.
 */
package dev.vigil.agent.http;
