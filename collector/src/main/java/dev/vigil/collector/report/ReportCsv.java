package dev.vigil.collector.report;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.report.SlaReport.CustomerSection;
import dev.vigil.collector.report.SlaReport.ServiceSection;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.LatencyRatioObjective;
import dev.vigil.collector.sla.MaintenanceExclusion;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.SlaOutage;
import dev.vigil.collector.sla.SlaResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One table of the report as RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line break, quotes doubled. Numbers are written as the JSON writes them
 * (shares as fractions, durations in seconds, instants ISO-8601 in UTC). A text field that a
 * spreadsheet would take for a formula ({@code = + - @} first) gets a leading apostrophe, so a
 * maintenance reason cannot run as a formula on an auditor's machine.
 *
 * <p>{@link ReportTable#OBJECTIVES}: one row per service and objective, repeating the service's time
 * accounting and reliability figures; the other tables list the outages, incidents and maintenance
 * windows, each row naming its customer and service.
 */
public final class ReportCsv {
    private static final List<String> OBJECTIVES = List.of("customer", "service", "owner", "tier", "sla",
            "sla_period", "calendar", "zone", "period", "from", "to", "counted_until", "complete", "objective", "kind",
            "target", "threshold_ms", "percentile", "measured", "percentile_ms", "met", "error_budget_remaining", "bad",
            "total", "unit", "availability", "service_hours_seconds", "maintenance_seconds", "no_data_seconds",
            "no_data_policy", "agreed_seconds", "downtime_seconds", "outages_started", "outages_ended", "mttr_seconds",
            "mtbf_seconds", "mttd_seconds", "incidents");
    private static final List<String> OUTAGES = List.of("customer", "service", "sla", "start", "end", "ongoing",
            "detected", "duration_seconds", "downtime_seconds");
    private static final List<String> INCIDENTS = List.of("customer", "service", "key", "kind", "priority", "title",
            "status", "start", "detected", "acknowledged", "acknowledged_by", "resolved", "duration_seconds",
            "time_to_detect_seconds", "first_failure");
    private static final List<String> MAINTENANCE = List.of("customer", "service", "id", "created_by", "reason",
            "created_at", "excluded_seconds", "intervals");

    private ReportCsv() {
    }

    /** {@code table} of {@code report} as UTF-8 CSV. */
    public static byte[] render(SlaReport report, ReportTable table) {
        StringBuilder out = new StringBuilder();
        row(out, switch (table) {
            case OBJECTIVES -> OBJECTIVES;
            case OUTAGES -> OUTAGES;
            case INCIDENTS -> INCIDENTS;
            case MAINTENANCE -> MAINTENANCE;
            case CHANGES -> ReportChanges.CSV_COLUMNS;
            case SUPPLIERS -> ReportSuppliers.CSV_COLUMNS;
        });
        for (CustomerSection customer : report.customers()) {
            for (ServiceSection section : customer.services()) {
                switch (table) {
                    case OBJECTIVES -> objectives(out, report, section);
                    case OUTAGES -> outages(out, section);
                    case INCIDENTS -> incidents(out, section);
                    case MAINTENANCE -> maintenance(out, section);
                    case CHANGES -> section.changes().csvRows(customer.customer().orElse(""),
                            section.service().name()).forEach(row -> row(out, row));
                    case SUPPLIERS -> ReportSuppliers.csvRows(report, section).forEach(row -> row(out, row));
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void objectives(StringBuilder out, SlaReport report, ServiceSection section) {
        SlaResult result = section.result();
        for (ObjectiveResult objective : result.objectives()) {
            List<String> row = new ArrayList<>();
            row.add(text(section.service().customer().orElse("")));
            row.add(section.service().name());
            row.add(text(section.service().owner().orElse("")));
            row.add(text(section.service().tier().orElse("")));
            row.add(section.sla().name());
            row.add(section.slaPeriod());
            row.add(section.sla().calendar());
            row.add(section.zone().getId());
            row.add(report.month().toString());
            row.add(instant(result.fromMillis()));
            row.add(instant(result.toMillis()));
            row.add(instant(result.countedUntilMillis()));
            row.add(Boolean.toString(result.countedUntilMillis() == result.toMillis()));
            row.add(objective.objective().name());
            row.add(objective.objective().kind());
            row.add(Double.toString(objective.objective().target()));
            if (objective.objective() instanceof LatencyRatioObjective ratio) {
                row.add(Double.toString(ratio.thresholdMicros() / 1000.0));
                row.add("");
            } else if (objective.objective() instanceof LatencyPercentileObjective percentile) {
                row.add(Double.toString(percentile.thresholdMicros() / 1000.0));
                row.add(Double.toString(percentile.percentile()));
            } else {
                row.add("");
                row.add("");
            }
            row.add(number(objective.measured()));
            row.add(objective.percentileMicros().isPresent()
                    ? Double.toString(objective.percentileMicros().getAsLong() / 1000.0) : "");
            row.add(Boolean.toString(objective.met()));
            row.add(Double.toString(objective.errorBudgetRemaining()));
            row.add(Long.toString(objective.bad()));
            row.add(Long.toString(objective.total()));
            row.add(objective.unit().name().toLowerCase(Locale.ROOT));
            row.add(number(result.availability()));
            row.add(seconds(result.serviceHoursMillis()));
            row.add(seconds(result.maintenanceMillis()));
            row.add(seconds(result.noDataMillis()));
            row.add(result.noDataPolicy().name().toLowerCase(Locale.ROOT));
            row.add(seconds(result.agreedMillis()));
            row.add(seconds(result.downtimeMillis()));
            row.add(Integer.toString(result.outagesStarted()));
            row.add(Integer.toString(result.outagesEnded()));
            row.add(secondsOf(result.mttrMillis()));
            row.add(secondsOf(result.mtbfMillis()));
            row.add(secondsOf(result.mttdMillis()));
            row.add(Integer.toString(section.incidents().size()));
            row(out, row);
        }
    }

    private static void outages(StringBuilder out, ServiceSection section) {
        for (SlaOutage outage : section.result().outages()) {
            row(out, List.of(text(section.service().customer().orElse("")), section.service().name(),
                    section.sla().name(),
                    instant(outage.outage().startEpochMillis()),
                    outage.outage().endEpochMillis().isPresent()
                            ? instant(outage.outage().endEpochMillis().getAsLong()) : "",
                    Boolean.toString(!outage.outage().ended()),
                    instant(outage.outage().detectedEpochMillis()),
                    seconds(outage.durationMillis()),
                    seconds(outage.downtimeMillis())));
        }
    }

    private static void incidents(StringBuilder out, ServiceSection section) {
        for (Incident incident : section.incidents()) {
            row(out, List.of(text(section.service().customer().orElse("")), section.service().name(), incident.key(),
                    incident.kind().label(), incident.priority().name(), text(incident.title()),
                    incident.status().name().toLowerCase(Locale.ROOT),
                    instant(incident.startedEpochMillis()),
                    instant(incident.detectedEpochMillis()),
                    incident.acknowledgement().map(ack -> instant(ack.atEpochMillis())).orElse(""),
                    text(incident.acknowledgement().map(ack -> ack.by()).orElse("")),
                    incident.resolvedEpochMillis().isPresent() ? instant(incident.resolvedEpochMillis().getAsLong()) : "",
                    seconds(section.durationMillis(incident)),
                    seconds(Math.max(0, incident.detectedEpochMillis() - incident.startedEpochMillis())),
                    text(section.evidence().firstFailure(incident))));
        }
    }

    private static void maintenance(StringBuilder out, ServiceSection section) {
        for (MaintenanceExclusion exclusion : section.result().maintenance()) {
            row(out, List.of(text(section.service().customer().orElse("")), section.service().name(), exclusion.id(),
                    text(exclusion.createdBy()), text(exclusion.reason()), exclusion.createdAt().toString(),
                    seconds(exclusion.excludedMillis()), intervals(exclusion.excluded())));
        }
    }

    /** ISO-8601 intervals {@code start/end}, separated by spaces. */
    private static String intervals(IntervalSet set) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < set.size(); i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(instant(set.start(i))).append('/').append(instant(set.end(i)));
        }
        return text.toString();
    }

    private static void row(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** One field as RFC 4180 writes it. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** Free text as a cell a spreadsheet shows as text, never evaluates. */
    static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static String seconds(long millis) {
        return Double.toString(millis / 1000.0);
    }

    private static String secondsOf(OptionalDouble millis) {
        return millis.isPresent() ? Double.toString(millis.getAsDouble() / 1000.0) : "";
    }

    private static String number(OptionalDouble value) {
        return value.isPresent() ? Double.toString(value.getAsDouble()) : "";
    }
}
