package dev.vigil.collector.report;

import java.util.Locale;
import java.util.Optional;

/** A file format an SLA report is written in, with its media type and file extension. */
public enum ReportFormat {
    /** The report's model as JSON. */
    JSON("application/json"),
    /** One table as RFC 4180 CSV: see {@link ReportTable}. */
    CSV("text/csv; charset=utf-8; header=present"),
    /** A self-contained, printable HTML page. */
    HTML("text/html; charset=utf-8"),
    /** A4 PDF with page numbers. */
    PDF("application/pdf");

    private final String mediaType;

    ReportFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The {@code Content-Type} of a report in this format. */
    public String mediaType() {
        return mediaType;
    }

    /** How the {@code format} parameter and the file extension name it: {@code json}, {@code csv}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format {@code label} names, if any. */
    public static Optional<ReportFormat> of(String label) {
        for (ReportFormat format : values()) {
            if (format.label().equals(label)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
