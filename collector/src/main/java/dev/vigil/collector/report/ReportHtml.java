package dev.vigil.collector.report;

import dev.vigil.collector.report.ReportDocument.Block;
import dev.vigil.collector.report.ReportDocument.Field;
import dev.vigil.collector.report.ReportDocument.Fields;
import dev.vigil.collector.report.ReportDocument.Heading;
import dev.vigil.collector.report.ReportDocument.Paragraph;
import dev.vigil.collector.report.ReportDocument.Table;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report as one self-contained HTML page: the style is inline, nothing is fetched (no script, font
 * or image), every text from the catalogue or the incidents is escaped, and the print style sets A4
 * pages and keeps a service's tables together where it can.
 */
public final class ReportHtml {
    private static final String STYLE = """
            @page { size: A4; margin: 15mm; }
            body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; margin: 2em auto;
              max-width: 60em; }
            h1 { font-size: 18pt; margin-bottom: 0.2em; }
            h2 { font-size: 14pt; border-bottom: 1px solid #888; margin-top: 1.6em; }
            h3 { font-size: 12pt; margin: 1.4em 0 0.3em; }
            h4 { font-size: 10pt; margin: 0.8em 0 0.2em; color: #333; }
            table { border-collapse: collapse; width: 100%; margin: 0.2em 0 0.5em; }
            th, td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; vertical-align: top; }
            th { background: #eee; }
            dl { display: grid; grid-template-columns: max-content auto; gap: 1px 1em; margin: 0.2em 0; }
            dt { font-weight: bold; }
            dd { margin: 0; }
            .missed { color: #b00; font-weight: bold; }
            .small { font-size: 8.5pt; color: #333; }
            @media print {
              body { margin: 0; max-width: none; font-size: 9pt; }
              table { font-size: 8pt; }
              h2, h3, h4 { break-after: avoid; }
              table, dl { break-inside: avoid; }
            }
            """;

    private ReportHtml() {
    }

    /** {@code report} as a UTF-8 HTML page. */
    public static byte[] render(SlaReport report) {
        ReportDocument document = ReportDocument.of(report);
        StringBuilder out = new StringBuilder(4_096 + report.serviceCount() * 4_096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(document.title())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        for (Block block : document.blocks()) {
            if (block instanceof Heading heading) {
                out.append("<h").append(heading.level()).append('>').append(escape(heading.text()))
                        .append("</h").append(heading.level()).append(">\n");
            } else if (block instanceof Fields fields) {
                out.append("<dl>");
                for (Field field : fields.fields()) {
                    out.append("<dt>").append(escape(field.label())).append("</dt><dd>").append(escape(field.value()))
                            .append("</dd>");
                }
                out.append("</dl>\n");
            } else if (block instanceof Table table) {
                table(out, table);
            } else if (block instanceof Paragraph paragraph) {
                out.append(paragraph.small() ? "<p class=\"small\">" : "<p>").append(escape(paragraph.text()))
                        .append("</p>\n");
            }
        }
        out.append("</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void table(StringBuilder out, Table table) {
        out.append("<table>\n<thead><tr>");
        for (String column : table.columns()) {
            out.append("<th>").append(escape(column)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (String cell : row) {
                out.append(ReportDocument.missed(cell) ? "<td class=\"missed\">" : "<td>").append(escape(cell))
                        .append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** {@code text} safe in HTML element content and in quoted attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
