/**
 * The agent's configuration file and the records it becomes.
 *
 * <p>{@link dev.vigil.agent.config.AgentConfig#load} reads the YAML file through
 * {@link dev.vigil.config.ConfigNode}; unknown fields are errors at every level, and every error names
 * the field, the value and {@code file:line}. The records validate again in their compact
 * constructors, so a configuration built in code (a test, a benchmark) obeys the same rules.
 *
 * <p>The agent's own settings (name, collector, journal, listen address) live here; its checks are
 * read by {@link dev.vigil.config.check.CheckReader}, shared with the collector, which validates the
 * checks it assigns to agents with the same rules.
 */
package dev.vigil.agent.config;
