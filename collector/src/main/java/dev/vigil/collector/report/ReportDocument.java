package dev.vigil.collector.report;

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
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.SlaOutage;
import dev.vigil.collector.sla.SlaResult;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The people-facing report as a sequence of blocks (headings, label-value fields, tables,
 * paragraphs), laid out by {@link ReportHtml} and {@link ReportPdf} alike, so the two show the same
 * content in the same order and only the layout differs.
 *
 * @param title  the document's title
 * @param blocks its content, in order; the definitions close it
 */
record ReportDocument(String title, List<Block> blocks) {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    ReportDocument {
        blocks = List.copyOf(blocks);
    }

    /** A part of the document. */
    sealed interface Block permits Heading, Fields, Table, Paragraph {
    }

    /**
     * A heading.
     *
     * @param level 1 the title, 2 a customer, 3 a service, 4 a part of a service
     */
    record Heading(int level, String text) implements Block {
    }

    /** Labelled values, one per line. */
    record Fields(List<Field> fields) implements Block {
        Fields {
            fields = List.copyOf(fields);
        }
    }

    /** One labelled value. */
    record Field(String label, String value) {
    }

    /**
     * A table.
     *
     * @param columns the column headers
     * @param weights each column's share of the width, relative to the others
     * @param rows    the cells, as many per row as there are columns
     */
    record Table(List<String> columns, List<Integer> weights, List<List<String>> rows) implements Block {
        Table {
            columns = List.copyOf(columns);
            weights = List.copyOf(weights);
            rows = List.copyOf(rows);
            if (weights.size() != columns.size()) {
                throw new IllegalArgumentException(columns.size() + " columns need as many weights (were "
                        + weights.size() + ")");
            }
        }
    }

    /**
     * A paragraph of text.
     *
     * @param small whether it is small print (the definitions)
     */
    record Paragraph(String text, boolean small) implements Block {
    }

    /** Whether {@code cell} is a verdict of missed objectives ({@code MISSED}, {@code 1 of 2 MISSED}): set off in print. */
    static boolean missed(String cell) {
        return cell.equals("MISSED") || cell.matches("\\d+ of \\d+ MISSED");
    }

    /** The document of {@code report}. */
    static ReportDocument of(SlaReport report) {
        List<Block> blocks = new ArrayList<>();
        String title = "SLA report " + report.month();
        blocks.add(new Heading(1, title));
        blocks.add(new Fields(List.of(
                new Field("Provider", report.provider()),
                new Field("Period", report.month() + ", each service's month in its SLA calendar's zone"),
                new Field("Generated", ReportFigures.instant(report.generatedAt())),
                new Field("Scope", scope(report)),
                new Field("Services measured", Integer.toString(report.serviceCount())))));
        blocks.add(new Heading(2, "Summary"));
        List<List<String>> summary = new ArrayList<>();
        for (CustomerSection customer : report.customers()) {
            for (ServiceSection section : customer.services()) {
                SlaResult result = section.result();
                long met = result.objectives().stream().filter(ObjectiveResult::met).count();
                summary.add(List.of(customer.title(), section.service().name(), section.sla().name(),
                        ReportFigures.measured(result.availability()),
                        met + " of " + result.objectives().size() + (met < result.objectives().size() ? " MISSED" : ""),
                        ReportFigures.duration(result.downtimeMillis()), Integer.toString(section.incidents().size())));
            }
        }
        if (summary.isEmpty()) {
            blocks.add(new Paragraph("No service in scope has an SLA.", false));
        } else {
            blocks.add(new Table(List.of("Customer", "Service", "SLA", "Availability", "Objectives met", "Downtime",
                    "Incidents"), List.of(16, 18, 10, 14, 14, 16, 9), summary));
        }
        for (CustomerSection customer : report.customers()) {
            blocks.add(new Heading(2, "Customer: " + customer.title()));
            for (ServiceSection section : customer.services()) {
                service(blocks, section);
            }
        }
        report.suppliers().ifPresent(suppliers -> blocks.addAll(ReportSuppliers.blocks(suppliers)));
        if (!report.servicesWithoutSla().isEmpty()) {
            blocks.add(new Heading(2, "Services without an SLA"));
            blocks.add(new Paragraph("Not measured against an SLA, so not reported on: "
                    + String.join(", ", report.servicesWithoutSla()) + ".", false));
        }
        blocks.add(new Heading(2, "How the figures are defined"));
        for (String definition : ReportFigures.DEFINITIONS) {
            blocks.add(new Paragraph(definition, true));
        }
        return new ReportDocument(title + " - " + report.provider(), blocks);
    }

    private static String scope(SlaReport report) {
        if (report.serviceFilter().isPresent()) {
            return "service " + report.serviceFilter().get()
                    + report.customerFilter().map(customer -> " of customer " + customer).orElse("");
        }
        return report.customerFilter().map(customer -> "the services of customer " + customer)
                .orElse("every service of every customer");
    }

    private static void service(List<Block> blocks, ServiceSection section) {
        SlaResult result = section.result();
        ZoneId zone = section.zone();
        blocks.add(new Heading(3, section.service().name()));
        List<Field> about = new ArrayList<>();
        section.service().description().ifPresent(text -> about.add(new Field("Description", text)));
        section.service().owner().ifPresent(owner -> about.add(new Field("Owner", owner)));
        section.service().tier().ifPresent(tier -> about.add(new Field("Tier", tier)));
        about.add(new Field("SLA", section.sla().name() + ", judged per " + section.slaPeriod()));
        about.add(new Field("Calendar", section.sla().calendar() + ", zone " + zone.getId()));
        about.add(new Field("Month", ReportFigures.instant(result.fromMillis(), zone) + " to "
                + ReportFigures.instant(result.toMillis(), zone)));
        if (result.countedUntilMillis() < result.toMillis()) {
            about.add(new Field("Counted until", ReportFigures.instant(result.countedUntilMillis(), zone)
                    + " (the month has not ended)"));
        }
        blocks.add(new Fields(about));

        List<List<String>> objectives = new ArrayList<>();
        for (ObjectiveResult objective : result.objectives()) {
            objectives.add(List.of(objective.objective().name(), ReportFigures.target(objective),
                    ReportFigures.measured(objective), ReportFigures.verdict(objective),
                    ReportFigures.budget(objective.errorBudgetRemaining())));
        }
        blocks.add(new Heading(4, "Objectives"));
        blocks.add(new Table(List.of("Objective", "Target", "Measured", "Result", "Error budget left"),
                List.of(22, 16, 30, 12, 20), objectives));

        blocks.add(new Heading(4, "Time"));
        blocks.add(new Fields(List.of(
                new Field("Service hours", ReportFigures.duration(result.serviceHoursMillis())),
                new Field("Excluded maintenance", ReportFigures.duration(result.maintenanceMillis())),
                new Field("No data", ReportFigures.duration(result.noDataMillis()) + ", policy "
                        + result.noDataPolicy().name().toLowerCase(Locale.ROOT) + ": " + policy(result.noDataPolicy())),
                new Field("Agreed service time", ReportFigures.duration(result.agreedMillis())),
                new Field("Downtime", ReportFigures.duration(result.downtimeMillis())),
                new Field("Availability", ReportFigures.measured(result.availability())))));

        if (!result.maintenance().isEmpty()) {
            blocks.add(new Heading(4, "Excluded maintenance (times in " + zone.getId() + ")"));
            List<List<String>> rows = new ArrayList<>();
            for (MaintenanceExclusion exclusion : result.maintenance()) {
                rows.add(List.of(exclusion.id(), intervals(exclusion.excluded(), zone), exclusion.createdBy(),
                        exclusion.reason(), ReportFigures.duration(exclusion.excludedMillis()),
                        exclusion.createdAt().equals(Instant.EPOCH) ? "not recorded"
                                : local(exclusion.createdAt().toEpochMilli(), zone)));
            }
            blocks.add(new Table(List.of("Window", "When", "Who", "Why", "Excluded", "Recorded"),
                    List.of(14, 24, 12, 22, 12, 16), rows));
        }

        blocks.add(new Heading(4, "Outages (times in " + zone.getId() + ")"));
        if (result.outages().isEmpty()) {
            blocks.add(new Paragraph("No outages.", false));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (SlaOutage outage : result.outages()) {
                rows.add(List.of(local(outage.outage().startEpochMillis(), zone),
                        outage.outage().endEpochMillis().isPresent()
                                ? local(outage.outage().endEpochMillis().getAsLong(), zone) : "ongoing",
                        ReportFigures.duration(outage.outage().detectedEpochMillis()
                                - outage.outage().startEpochMillis()),
                        ReportFigures.duration(outage.durationMillis()),
                        ReportFigures.duration(outage.downtimeMillis())));
            }
            blocks.add(new Table(List.of("Start", "End", "Detected after", "Duration", "Counted as downtime"),
                    List.of(22, 22, 16, 20, 20), rows));
        }
        blocks.add(new Fields(List.of(
                new Field("Outages started / ended", result.outagesStarted() + " / " + result.outagesEnded()),
                new Field("MTTR", ReportFigures.duration(result.mttrMillis())),
                new Field("MTBF", ReportFigures.duration(result.mtbfMillis())),
                new Field("MTTD", ReportFigures.duration(result.mttdMillis())))));

        blocks.add(new Heading(4, "Incidents (times in " + zone.getId() + ")"));
        if (section.incidents().isEmpty()) {
            blocks.add(new Paragraph("No incidents.", false));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Incident incident : section.incidents()) {
                rows.add(List.of(incident.key(), incident.kind().label() + " " + incident.priority().name(),
                        incident.title(),
                        local(incident.startedEpochMillis(), zone),
                        ReportFigures.duration(Math.max(0, incident.detectedEpochMillis() - incident.startedEpochMillis())),
                        incident.acknowledgement().map(ack -> local(ack.atEpochMillis(), zone)
                                + (ack.by().isEmpty() ? "" : " by " + ack.by())).orElse("-"),
                        incident.resolvedEpochMillis().isPresent()
                                ? local(incident.resolvedEpochMillis().getAsLong(), zone) : "open",
                        ReportFigures.duration(section.durationMillis(incident))));
            }
            blocks.add(new Table(List.of("Key", "Kind", "Title", "Start", "Detected after", "Acknowledged",
                    "Resolved", "Duration"), List.of(16, 10, 14, 13, 10, 14, 13, 10), rows));
            section.incidents().stream().filter(i -> !section.evidence().firstFailure(i).isEmpty()).forEach(i ->
                    blocks.add(new Paragraph(i.key() + ": " + section.evidence().firstFailure(i), true)));
            blocks.add(new Fields(List.of(
                    new Field("Incident MTTD", ReportFigures.duration(section.incidentMttdMillis())),
                    new Field("Incident MTTA", ReportFigures.duration(section.incidentMttaMillis())))));
        }
        management(blocks, section);
        section.changes().blocks(blocks, section.zone());
    }

    /** The incident KPIs and problems of the month: how the service was run, not only how it ran. */
    private static void management(List<Block> blocks, ServiceSection section) {
        ServiceKpis kpis = section.kpis();
        blocks.add(new Heading(4, "Service management"));
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Outages started", kpis.incidents() + " (" + kpis.open() + " open, "
                + kpis.unacknowledged() + " unacknowledged)"));
        fields.add(kpi("MTTD", kpis, KpiTarget.DETECT));
        fields.add(kpi("MTTA", kpis, KpiTarget.ACKNOWLEDGE));
        fields.add(kpi("MTTR", kpis, KpiTarget.RESTORE));
        blocks.add(new Fields(fields));
        if (section.problems().isEmpty()) {
            blocks.add(new Paragraph("No problems.", false));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Problem problem : section.problems()) {
                rows.add(List.of(problem.key(), problem.status(), Integer.toString(problem.incidents().size()),
                        problem.closure().map(Closure::rootCause).orElse("-")));
            }
            blocks.add(new Table(List.of("Problem", "Status", "Incidents", "Root cause"), List.of(34, 12, 12, 42),
                    rows));
        }
    }

    private static Field kpi(String label, ServiceKpis kpis, KpiTarget target) {
        KpiMeasure measure = kpis.of(target);
        String met = measure.metPercent().isPresent()
                ? String.format(Locale.ROOT, "%.1f%% of %d met", measure.metPercent().getAsDouble(), measure.judged())
                : "none judged";
        String mean = measure.meanSeconds().isPresent()
                ? ReportFigures.duration(Math.round(measure.meanSeconds().getAsDouble() * 1000)) : "n/a";
        return new Field(label, mean + " (target " + ReportFigures.duration(kpis.targets().of(target).toMillis()) + ", " + met + ")");
    }

    private static String policy(NoDataPolicy policy) {
        return switch (policy) {
            case EXCLUDE -> "left out of the agreed service time";
            case DOWN -> "counted as downtime";
            case UP -> "counted as up time";
        };
    }

    private static String intervals(IntervalSet set, ZoneId zone) {
        List<String> spans = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            spans.add(local(set.start(i), zone) + " to " + local(set.end(i), zone));
        }
        return String.join("; ", spans);
    }

    private static String local(long epochMillis, ZoneId zone) {
        return LOCAL.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }
}
