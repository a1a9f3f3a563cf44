/**
 * Monthly SLA reports as audit evidence: for each customer and service, the SLA's objectives with
 * target, measured value, verdict and error budget, the time accounting (service hours, excluded
 * maintenance with who and why, no-data time and its policy, agreed time, downtime), the outages,
 * the incidents and MTTR, MTBF and MTTD, in JSON, CSV, HTML and PDF.
 *
 * <p>Threading: the SLA engine and the incident book belong to the collector's event loop, so
 * {@link dev.vigil.collector.report.ReportBuilder} evaluates the services there, in steps of about
 * 10 ms with a timer between them (10,000 services take seconds, which must not stall ingest or the
 * API). The result, {@link dev.vigil.collector.report.SlaReport}, is immutable and is rendered on a
 * worker thread. Every format reads the same model; HTML and PDF lay out the same blocks
 * ({@code ReportDocument}), JSON writes each service's figures with the SLA API's own writer, so the
 * report and {@code /api/v1/sla} agree to the digit.
 *
 * <p>The month of a service runs from local midnight to local midnight in its SLA calendar's zone,
 * which for a monthly SLA is exactly its SLA period. See {@code docs/reports.md}.
 */
package dev.vigil.collector.report;
