/**
 * The checks the collector assigns to this agent.
 *
 * <p>The agent fetches {@code GET /api/v1/assignments} with the credentials and TLS settings it ships
 * with, reads the document with the readers of its local checks ({@link dev.vigil.config.check.CheckReader}),
 * and applies a new version to the running scheduler: unchanged checks run on untouched, changed ones
 * are replaced, removed ones stop, new ones start. The last applied document is cached on disk and
 * applied at start, so a restart while the collector is away still runs the assigned checks.
 *
 * <p>Local checks win: an assigned check whose id a local check has is refused, logged and counted.
 * A document that cannot be used is refused as a whole and the previous set runs on.
 */
package dev.vigil.agent.assign;
