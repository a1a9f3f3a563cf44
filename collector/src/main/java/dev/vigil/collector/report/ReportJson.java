package dev.vigil.collector.report;

import dev.vigil.collector.api.SlaJson;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.kpi.KpiMeasure;
import dev.vigil.collector.kpi.KpiTarget;
import dev.vigil.collector.kpi.ServiceKpis;
import dev.vigil.collector.problem.Closure;
import dev.vigil.collector.problem.Problem;
import dev.vigil.collector.report.SlaReport.CustomerSection;
import dev.vigil.collector.report.SlaReport.ServiceSection;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.MaintenanceExclusion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The report as JSON, the model field by field. Each service's {@code figures} are written by
 * {@link SlaJson}, so they equal {@code GET /api/v1/sla?service=NAME&period=YYYY-MM} (without the burn
 * rates, which are about now, not the month). Times are ISO-8601 instants, durations seconds.
 */
public final class ReportJson {
    private ReportJson() {
    }

    /** {@code report} as UTF-8 JSON. */
    public static byte[] render(SlaReport report) {
        return of(report).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code report} as a JSON object. */
    public static JsonObject of(SlaReport report) {
        JsonArray customers = new JsonArray();
        for (CustomerSection customer : report.customers()) {
            JsonArray services = new JsonArray();
            for (ServiceSection section : customer.services()) {
                services.add(service(section));
            }
            customers.add(new JsonObject()
                    .put("customer", customer.customer().orElse(null))
                    .put("services", services));
        }
        return new JsonObject()
                .put("report", "sla")
                .put("provider", report.provider())
                .put("period", report.month().toString())
                .put("generatedAt", report.generatedAt().toString())
                .put("filters", new JsonObject()
                        .put("customer", report.customerFilter().orElse(null))
                        .put("service", report.serviceFilter().orElse(null)))
                .put("services", report.serviceCount())
                .put("customers", customers)
                .put("servicesWithoutSla", new JsonArray(List.copyOf(report.servicesWithoutSla())))
                .put("suppliers", report.suppliers().map(ReportSuppliers::json).orElse(null))
                .put("definitions", SlaReport.DEFINITIONS);
    }

    private static JsonObject service(ServiceSection section) {
        JsonArray windows = new JsonArray();
        for (MaintenanceExclusion exclusion : section.result().maintenance()) {
            windows.add(new JsonObject().put("id", exclusion.id()).put("intervals", intervals(exclusion.excluded())));
        }
        JsonArray incidents = new JsonArray();
        for (Incident incident : section.incidents()) {
            incidents.add(incident(incident, section));
        }
        return new JsonObject()
                .put("service", section.service().name())
                .put("customer", section.service().customer().orElse(null))
                .put("owner", section.service().owner().orElse(null))
                .put("tier", section.service().tier().orElse(null))
                .put("description", section.service().description().orElse(null))
                .put("sla", section.sla().name())
                .put("slaPeriod", section.slaPeriod())
                .put("calendar", section.sla().calendar())
                .put("zone", section.zone().getId())
                .put("figures", SlaJson.of(section.result(), List.of()))
                .put("maintenanceWindows", windows)
                .put("incidents", incidents)
                .put("incidentMttdSeconds", seconds(section.incidentMttdMillis()))
                .put("incidentMttaSeconds", seconds(section.incidentMttaMillis()))
                .put("kpis", kpis(section.kpis()))
                .put("problems", problems(section.problems()))
                .put("changes", section.changes().json());
    }

    /** The incident KPIs as {@code GET /api/v1/kpis} names them: one object per target, times in seconds. */
    private static JsonObject kpis(ServiceKpis kpis) {
        JsonObject json = new JsonObject()
                .put("incidents", kpis.incidents())
                .put("open", kpis.open())
                .put("unacknowledged", kpis.unacknowledged());
        for (KpiTarget target : KpiTarget.values()) {
            KpiMeasure measure = kpis.of(target);
            json.put(target.label(), new JsonObject()
                    .put("targetSeconds", kpis.targets().of(target).toMillis() / 1000.0)
                    .put("count", measure.count())
                    .put("meanSeconds", value(measure.meanSeconds()))
                    .put("met", measure.met())
                    .put("missed", measure.missed())
                    .put("pending", measure.pending())
                    .put("metPercent", value(measure.metPercent())));
        }
        return json;
    }

    private static JsonArray problems(List<Problem> problems) {
        JsonArray json = new JsonArray();
        for (Problem problem : problems) {
            json.add(new JsonObject()
                    .put("key", problem.key())
                    .put("status", problem.status())
                    .put("incidents", problem.incidents().size())
                    .put("rootCause", problem.closure().map(Closure::rootCause).orElse(null)));
        }
        return json;
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static JsonObject incident(Incident incident, ServiceSection section) {
        return new JsonObject()
                .put("key", incident.key())
                .put("kind", incident.kind().label())
                .put("priority", incident.priority().name())
                .put("title", incident.title())
                .put("status", incident.status().name().toLowerCase(Locale.ROOT))
                .put("start", instant(incident.startedEpochMillis()))
                .put("detected", instant(incident.detectedEpochMillis()))
                .put("acknowledged", incident.acknowledgement().map(ack -> instant(ack.atEpochMillis())).orElse(null))
                .put("acknowledgedBy", incident.acknowledgement().map(ack -> ack.by()).orElse(null))
                .put("resolved", incident.resolvedEpochMillis().isPresent()
                        ? instant(incident.resolvedEpochMillis().getAsLong()) : null)
                .put("durationSeconds", section.durationMillis(incident) / 1000.0)
                .put("timeToDetectSeconds",
                        Math.max(0, incident.detectedEpochMillis() - incident.startedEpochMillis()) / 1000.0)
                .put("firstFailure", section.evidence().firstFailure(incident));
    }

    private static JsonArray intervals(IntervalSet set) {
        JsonArray intervals = new JsonArray();
        for (int i = 0; i < set.size(); i++) {
            intervals.add(new JsonObject().put("start", instant(set.start(i))).put("end", instant(set.end(i))));
        }
        return intervals;
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static Double seconds(OptionalDouble millis) {
        return millis.isPresent() ? millis.getAsDouble() / 1000.0 : null;
    }
}
