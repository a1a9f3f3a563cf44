/**
 * Checks the collector assigns to its agents.
 *
 * <p>{@code collector.yaml}'s {@code checks:} section lists checks in exactly the agent's syntax, each
 * with {@code agents:}, the configured agents that run it. They are validated at load by the agent's
 * own readers ({@link dev.vigil.config.check.CheckReader}), so a mistake is reported with the agent's
 * words and the collector's {@code file:line}. Each agent fetches its share from
 * {@code GET /api/v1/assignments}, authenticated as for ingest, as an
 * {@link dev.vigil.collector.assignment.AssignmentDocument}: the checks as written (the agent parses
 * them with the same readers) and a version, a hash of their content, which is also the {@code ETag}.
 *
 * <p>The documents are computed once, at start: the collector's configuration does not change while
 * it runs, so neither does an agent's version.
 */
package dev.vigil.collector.assignment;
