/**
 * Check definitions: what a check probes, how often, and how its settings are read.
 *
 * <p>A check's probe settings are a sealed {@link dev.vigil.config.check.ProbeSpec}: one record per
 * probe type, with the type named by {@link dev.vigil.config.check.ProbeType}. Adding a probe type
 * adds a record, a constant, a spec reader and a case in every exhaustive switch over the constant.
 *
 * <p>{@link dev.vigil.config.check.CheckReader} reads a check from a
 * {@link dev.vigil.config.ConfigNode}; unknown fields are errors, and every error names the field, the
 * value and {@code file:line}. The records validate again in their compact constructors, so a check
 * built in code (a test, a benchmark) obeys the same rules. The agent reads its local checks and the
 * checks assigned to it by a collector with the same reader, and the collector validates what it
 * assigns with it too: one set of rules, one wording of every mistake. The package lives apart from the
 * agent so that the collector can do so without depending on the agent.
 */
package dev.vigil.config.check;
