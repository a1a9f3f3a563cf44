/**
 * Incident KPIs: mean time to detect, acknowledge and restore a service's outages, and the share of
 * outages that met each target, per service and calendar month (UTC). {@link dev.vigil.collector.kpi.IncidentKpis}
 * computes them without Vert.x; {@link dev.vigil.collector.kpi.KpiRoutes} serves them and
 * {@link dev.vigil.collector.kpi.KpiFigures} keeps the current month's for {@code /metrics}.
 */
package dev.vigil.collector.kpi;
