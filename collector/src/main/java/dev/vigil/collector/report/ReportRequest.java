package dev.vigil.collector.report;

import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.SlaPeriod;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What an SLA report is asked for: a calendar month, a format (and for CSV the table), and
 * optionally one customer or one service.
 *
 * @param month    the month reported on; each service's figures run over this month in its SLA
 *                 calendar's zone
 * @param format   the file format
 * @param table    the table a CSV holds; {@link ReportTable#OBJECTIVES} for the other formats
 * @param customer only the services provided to this customer (the catalogue's {@code customer})
 * @param service  only this service
 */
public record ReportRequest(YearMonth month, ReportFormat format, ReportTable table, Optional<String> customer,
                            Optional<String> service) {
    /**
     * How many months back a report may reach: the engine keeps 13 months of state history
     * ({@code SlaEngine.STATE_HISTORY}).
     */
    public static final int MAX_MONTHS_BACK = 13;

    /** Validates. */
    public ReportRequest {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(service, "service");
        if (format != ReportFormat.CSV && table != ReportTable.OBJECTIVES) {
            throw new IllegalArgumentException("table applies to format=csv only (was format=" + format.label() + ")");
        }
    }

    /**
     * Reads the query parameters {@code period} ({@code YYYY-MM}, {@code current} or {@code previous};
     * default {@code current}, months counted in UTC), {@code format} (default {@code json}),
     * {@code table}, {@code customer} and {@code service}.
     *
     * @param parameter      a parameter's value by name, null when absent
     * @param nowEpochMillis what "current" is
     * @throws IllegalArgumentException naming the parameter that is wrong and its value
     */
    public static ReportRequest parse(UnaryOperator<String> parameter, long nowEpochMillis) {
        String period = parameter.apply("period");
        SlaPeriod months = new SlaPeriod.CalendarMonth(ZoneOffset.UTC);
        Optional<PeriodRange> range = months.labelled(period == null ? "current" : period, nowEpochMillis,
                MAX_MONTHS_BACK);
        if (range.isEmpty()) {
            throw new IllegalArgumentException("period must be current, previous or a month YYYY-MM within the last "
                    + MAX_MONTHS_BACK + " months, like " + months.containing(nowEpochMillis).label() + " (was '"
                    + period + "')");
        }
        String formatText = parameter.apply("format");
        ReportFormat format = ReportFormat.of(formatText == null ? "json" : formatText).orElseThrow(() ->
                new IllegalArgumentException("format must be html, csv, json or pdf (was '" + formatText + "')"));
        String tableText = parameter.apply("table");
        ReportTable table = ReportTable.OBJECTIVES;
        if (tableText != null) {
            table = ReportTable.of(tableText).orElseThrow(() -> new IllegalArgumentException(
                    "table must be objectives, outages, incidents, maintenance, changes or suppliers (was '" + tableText + "')"));
        }
        return new ReportRequest(YearMonth.parse(range.get().label()), format, table, nonBlank(parameter, "customer"),
                nonBlank(parameter, "service"));
    }

    /** The file name a browser saves it as: {@code vigil-sla-2026-10.pdf}, {@code vigil-sla-2026-10-outages.csv}. */
    public String fileName() {
        String suffix = table == ReportTable.OBJECTIVES ? "" : "-" + table.label();
        return "vigil-sla-" + month + suffix + "." + format.label();
    }

    private static Optional<String> nonBlank(UnaryOperator<String> parameter, String name) {
        String value = parameter.apply(name);
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty when given");
        }
        return Optional.ofNullable(value);
    }

    /** {@code report} as the file this request asks for: its format, and for CSV its table. */
    public byte[] render(SlaReport report) {
        return switch (format) {
            case JSON -> ReportJson.render(report);
            case CSV -> ReportCsv.render(report, table);
            case HTML -> ReportHtml.render(report);
            case PDF -> ReportPdf.render(report);
        };
    }
}
