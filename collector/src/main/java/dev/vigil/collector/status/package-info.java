/**
 * The public status page ({@code GET /}) and the SVG badges ({@code GET /badges/{service}/status.svg},
 * {@code GET /badges/{service}/uptime.svg?days=N}): what customers see, rendered on the server.
 *
 * <p><b>Public by construction.</b> The page is built from a {@link dev.vigil.collector.status.StatusPage}
 * model that holds only what may be shown: service names and descriptions, states, daily availability,
 * latency percentiles, the titles and times of outage incidents, and maintenance reasons and times.
 * It has no field for agents, check ids, targets, incident details or labels, tokens or people's names,
 * so the renderer cannot leak them. Every text is HTML-escaped (descriptions and reasons come from the
 * configuration and the API).
 *
 * <p><b>Availability here</b> is 24x7 with maintenance taken out and no-data time left out:
 * 1 − down / (time with data outside maintenance), per UTC day. It is not an SLA figure (those follow the
 * SLA's calendar and no-data policy, see {@code docs/sla.md}); it is the same for every service, with or
 * without an SLA, as customers expect of a status page.
 *
 * <p><b>Cost.</b> The engine is single-threaded (the collector's event loop), so the page is built there,
 * in steps of a few milliseconds with a timer between them, like the metrics' figures. Past days do not
 * change except with late data or a maintenance change: {@link dev.vigil.collector.status.UptimeHistory}
 * keeps each service's 89 past days and recomputes them (one 90-day slice of its timeline) at most every
 * few minutes, when the UTC day turns, or when the catalogue changes; today is computed per build. A
 * built page is kept for a few seconds, gzipped once, and every request in that time gets the same bytes.
 */
package dev.vigil.collector.status;
