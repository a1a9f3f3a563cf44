/**
 * The agent's configuration file and the records it becomes.
 *
 * <p>{@link dev.vigil.agent.config.AgentConfig#load} reads the YAML file through
 * {@link dev.vigil.config.ConfigNode}; unknown fields are errors at every level, and every error names
 * the field, the value and {@code file:line}. The records validate again in their compact
 * constructors, so a configuration built in code (a test, a benchmark) obeys the same rules.
 *
 * <p>A check's probe settings are a sealed {@link dev.vigil.agent.config.ProbeSpec}: one record per
 * probe type, with the type named by {@link dev.vigil.agent.config.ProbeType}. Adding a probe type
 * adds a record, a constant and a case in every exhaustive switch over the constant.
 */
package dev.vigil.agent.config;
