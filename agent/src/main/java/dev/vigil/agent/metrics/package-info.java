/**
 * The agent's own metrics ({@code vigil_agent_*} and the JVM's), kept in a Prometheus client
 * registry and served by {@link dev.vigil.agent.http.AgentHttpServer}. Names use base units and
 * counters end in {@code _total}, so {@code promtool check metrics} accepts the output.
 */
package dev.vigil.agent.metrics;
