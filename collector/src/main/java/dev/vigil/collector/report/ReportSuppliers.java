package dev.vigil.collector.report;

import dev.vigil.collector.catalogue.ServiceSupplier;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.report.ReportDocument.Block;
import dev.vigil.collector.report.ReportDocument.Heading;
import dev.vigil.collector.report.ReportDocument.Paragraph;
import dev.vigil.collector.report.ReportDocument.Table;
import dev.vigil.collector.report.SlaReport.ServiceSection;
import dev.vigil.collector.supplier.ServiceShare;
import dev.vigil.collector.supplier.SupplierAttribution;
import dev.vigil.collector.supplier.SupplierMonth;
import dev.vigil.collector.supplier.SupplierStanding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The "Suppliers" section of the monthly report: each supplier's availability against its target and the
 * downtime of the report's services attributed to it, then each service's split between its suppliers and
 * the provider (see {@code docs/suppliers.md}). The JSON, HTML, PDF and CSV writers each call one method here.
 */
final class ReportSuppliers {
    /** The columns of the CSV table {@code suppliers}: one row per service and party its downtime went to. */
    static final List<String> CSV_COLUMNS = List.of("customer", "service", "sla", "downtime_seconds",
            "attributed_to", "kind", "attributed_seconds");

    private ReportSuppliers() {
    }

    /** The suppliers' month with the shares of {@code services} only; empty when no supplier is declared. */
    static Optional<SupplierMonth> of(SlaEngine engine, YearMonth month, List<String> services) {
        if (engine.catalogue().suppliers().isEmpty()) {
            return Optional.empty();
        }
        Set<String> scope = new HashSet<>(services);
        return Optional.of(SupplierAttribution.of(engine, month, scope::contains));
    }

    /** The section as JSON: suppliers, services (their split) and the provider's totals, times in seconds. */
    static JsonObject json(SupplierMonth month) {
        JsonArray suppliers = new JsonArray();
        for (SupplierStanding standing : month.suppliers()) {
            ServiceSupplier supplier = standing.supplier();
            suppliers.add(new JsonObject()
                    .put("name", supplier.name())
                    .put("kind", supplier.kind())
                    .put("target", supplier.availabilityTarget().isPresent()
                            ? supplier.availabilityTarget().getAsDouble() : null)
                    .put("availability", standing.availability().isPresent()
                            ? standing.availability().getAsDouble() : null)
                    .put("met", standing.met().orElse(null))
                    .put("downtimeSeconds", standing.downtimeMillis() / 1000.0)
                    .put("outages", standing.outages())
                    .put("attributedSeconds", standing.attributedMillis() / 1000.0));
        }
        JsonArray services = new JsonArray();
        for (ServiceShare share : month.services()) {
            services.add(new JsonObject()
                    .put("service", share.service())
                    .put("downtimeSeconds", share.downtimeMillis() / 1000.0)
                    .put("attributedSeconds", seconds(share.attributed())));
        }
        return new JsonObject()
                .put("period", month.month().label())
                .put("suppliers", suppliers)
                .put("services", services)
                .put("provider", new JsonObject()
                        .put("downtimeSeconds", month.downtimeMillis() / 1000.0)
                        .put("attributedSeconds", seconds(month.attributed())));
    }

    /** The section as document blocks, for HTML and PDF. */
    static List<Block> blocks(SupplierMonth month) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Heading(2, "Suppliers"));
        List<List<String>> suppliers = new ArrayList<>();
        for (SupplierStanding standing : month.suppliers()) {
            ServiceSupplier supplier = standing.supplier();
            String target = supplier.availabilityTarget().isPresent()
                    ? ReportFigures.target(supplier.availabilityTarget().getAsDouble()) : "none";
            String met = standing.met().map(ok -> ok ? "met" : "MISSED").orElse("n/a");
            suppliers.add(List.of(supplier.name(), supplier.kind(), target,
                    ReportFigures.measured(standing.availability()), met,
                    ReportFigures.duration(standing.downtimeMillis()), Integer.toString(standing.outages()),
                    ReportFigures.duration(standing.attributedMillis())));
        }
        blocks.add(new Table(List.of("Supplier", "Kind", "Target", "Availability", "Result", "Downtime", "Outages",
                "Our downtime from it"), List.of(16, 10, 10, 14, 10, 14, 9, 17), suppliers));
        blocks.add(new Paragraph("Supplier availability is over " + month.month().label() + " in UTC, as the "
                + "services measuring each supplier saw it. Each service's downtime is attributed to the first of "
                + "its suppliers that was down at the time, otherwise to the provider.", true));
        List<List<String>> rows = new ArrayList<>();
        for (ServiceShare share : month.services()) {
            share.attributed().forEach((party, millis) -> rows.add(List.of(share.service(),
                    ReportFigures.duration(share.downtimeMillis()), party, ReportFigures.duration(millis))));
        }
        month.attributed().forEach((party, millis) -> rows.add(List.of("All services",
                ReportFigures.duration(month.downtimeMillis()), party, ReportFigures.duration(millis))));
        blocks.add(new Table(List.of("Service", "Downtime", "Attributed to", "Share"), List.of(30, 22, 26, 22), rows));
        return blocks;
    }

    /** The CSV rows of {@code section}'s split: one per supplier it names, then the provider. */
    static List<List<String>> csvRows(SlaReport report, ServiceSection section) {
        List<List<String>> rows = new ArrayList<>();
        Optional<ServiceShare> share = report.suppliers().flatMap(month -> month.services().stream()
                .filter(s -> s.service().equals(section.service().name())).findFirst());
        if (share.isEmpty()) {
            return rows;
        }
        SupplierMonth month = report.suppliers().orElseThrow();
        share.get().attributed().forEach((party, millis) -> rows.add(List.of(
                ReportCsv.text(section.service().customer().orElse("")), section.service().name(), section.sla().name(),
                Double.toString(share.get().downtimeMillis() / 1000.0), party,
                month.supplier(party).map(s -> s.supplier().kind()).orElse(ServiceSupplier.PROVIDER),
                Double.toString(millis / 1000.0))));
        return rows;
    }

    private static JsonObject seconds(Map<String, Long> millis) {
        JsonObject json = new JsonObject();
        millis.forEach((party, value) -> json.put(party, value / 1000.0));
        return json;
    }
}
