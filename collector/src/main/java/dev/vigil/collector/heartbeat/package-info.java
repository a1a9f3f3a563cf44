/**
 * Heartbeat (push) checks: a job reports with {@code POST /api/v1/heartbeat/<id>}, and its check is
 * down when no report arrives within its period plus grace.
 *
 * <p>Absence is turned into data. Each report becomes a sample of check {@code heartbeat/<id>}
 * ({@code OK}, or {@code ASSERTION_FAILED} for {@code status=fail}), stamped with the collector's
 * clock; each deadline that passes without one becomes a failed sample ({@code TIMEOUT}) stamped at the
 * deadline, and another every period while the job stays silent. These samples go through the
 * collector's journal and the check board like any other, with thresholds 1/1 (one missed deadline
 * opens an outage, one report closes it), so outages, SLA figures and incidents need nothing special,
 * and a replay rebuilds them from the journal alone.
 *
 * <p>The deadlines are derived from the journal, never from memory of this process: the next one
 * follows from the check's last applied sample, so a restarted collector neither records a deadline
 * twice nor forgets one that passed while it was down. The samples' identity is that of every sample
 * from elsewhere (see {@link dev.vigil.collector.ingest.ExternalSamples}): agent {@code heartbeat}, a
 * reserved journal epoch, the scheduled time as index.
 */
package dev.vigil.collector.heartbeat;
