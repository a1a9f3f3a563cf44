package dev.vigil.collector.report;

import dev.vigil.collector.report.PdfDocument.Font;
import dev.vigil.collector.report.ReportDocument.Block;
import dev.vigil.collector.report.ReportDocument.Field;
import dev.vigil.collector.report.ReportDocument.Fields;
import dev.vigil.collector.report.ReportDocument.Heading;
import dev.vigil.collector.report.ReportDocument.Paragraph;
import dev.vigil.collector.report.ReportDocument.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as an A4 PDF: the same blocks as the HTML page, laid out top to bottom in Helvetica; a
 * table that runs onto the next page repeats its header; a customer or service heading never ends a
 * page; every page carries the report's title and "Page n of N".
 */
public final class ReportPdf {
    private static final float MARGIN = 42;
    private static final float TOP = PdfDocument.HEIGHT - 54;
    private static final float BOTTOM = 54;
    private static final float WIDTH = PdfDocument.WIDTH - 2 * MARGIN;
    private static final float TEXT = 8.5f;
    private static final float SMALL = 7.5f;
    private static final float CELL = 7.5f;
    private static final float LABEL_WIDTH = 120;
    private static final float PADDING = 2;

    private final PdfDocument pdf = new PdfDocument();
    private float y;

    private ReportPdf() {
    }

    /** {@code report} as PDF bytes. */
    public static byte[] render(SlaReport report) {
        ReportDocument document = ReportDocument.of(report);
        ReportPdf layout = new ReportPdf();
        layout.newPage();
        for (Block block : document.blocks()) {
            layout.block(block);
        }
        PdfDocument pdf = layout.pdf;
        String header = document.title();
        String generated = "Generated " + ReportFigures.instant(report.generatedAt());
        for (int page = 0; page < pdf.pageCount(); page++) {
            pdf.text(page, Font.REGULAR, SMALL, MARGIN, PdfDocument.HEIGHT - 30, fit(header, Font.REGULAR, SMALL, WIDTH));
            pdf.text(page, Font.REGULAR, SMALL, MARGIN, 30, generated);
            String number = "Page " + (page + 1) + " of " + pdf.pageCount();
            pdf.text(page, Font.REGULAR, SMALL, MARGIN + WIDTH - Font.REGULAR.width(number, SMALL), 30, number);
        }
        return pdf.toBytes(document.title(), report.generatedAt());
    }

    private void newPage() {
        pdf.newPage();
        y = TOP;
    }

    /** Starts a new page unless {@code height} points still fit on this one. */
    private void room(float height) {
        if (y - height < BOTTOM) {
            newPage();
        }
    }

    private void block(Block block) {
        if (block instanceof Heading heading) {
            heading(heading);
        } else if (block instanceof Fields fields) {
            for (Field field : fields.fields()) {
                List<String> lines = wrap(field.value(), Font.REGULAR, TEXT, WIDTH - LABEL_WIDTH);
                room(lines.size() * leading(TEXT));
                pdf.text(Font.BOLD, TEXT, MARGIN, y - TEXT, fit(field.label(), Font.BOLD, TEXT, LABEL_WIDTH - 6));
                for (String line : lines) {
                    pdf.text(Font.REGULAR, TEXT, MARGIN + LABEL_WIDTH, y - TEXT, line);
                    y -= leading(TEXT);
                }
            }
            y -= 3;
        } else if (block instanceof Table table) {
            table(table);
        } else if (block instanceof Paragraph paragraph) {
            float size = paragraph.small() ? SMALL : TEXT;
            for (String line : wrap(paragraph.text(), Font.REGULAR, size, WIDTH)) {
                room(leading(size));
                pdf.text(Font.REGULAR, size, MARGIN, y - size, line);
                y -= leading(size);
            }
            y -= 3;
        }
    }

    private void heading(Heading heading) {
        float size = switch (heading.level()) {
            case 1 -> 16;
            case 2 -> 13;
            case 3 -> 11;
            default -> 9;
        };
        float before = heading.level() == 4 ? 4 : 10;
        // Room for what follows too, so that a heading does not end a page.
        float keepWithNext = heading.level() == 4 ? 40 : 90;
        if (y < TOP) {
            y -= before;
        }
        room(leading(size) + keepWithNext);
        for (String line : wrap(heading.text(), Font.BOLD, size, WIDTH)) {
            pdf.text(Font.BOLD, size, MARGIN, y - size, line);
            y -= leading(size);
        }
        if (heading.level() <= 2) {
            pdf.line(MARGIN, y + 1, MARGIN + WIDTH, y + 1, 0.6f, 0.4f);
            y -= 4;
        }
    }

    private void table(Table table) {
        float[] widths = new float[table.columns().size()];
        int weights = table.weights().stream().mapToInt(Integer::intValue).sum();
        for (int i = 0; i < widths.length; i++) {
            widths[i] = WIDTH * table.weights().get(i) / weights;
        }
        List<List<String>> header = cells(table.columns(), widths, Font.BOLD);
        float headerHeight = height(header);
        room(headerHeight + leading(CELL) + 2 * PADDING);
        row(header, widths, Font.BOLD, true);
        for (List<String> row : table.rows()) {
            List<List<String>> cells = cells(row, widths, Font.REGULAR);
            float height = height(cells);
            if (y - height < BOTTOM) {
                newPage();
                row(header, widths, Font.BOLD, true);
            }
            row(cells, widths, Font.REGULAR, false);
        }
        y -= 4;
    }

    private void row(List<List<String>> cells, float[] widths, Font font, boolean header) {
        float height = height(cells);
        if (header) {
            pdf.box(MARGIN, y - height, WIDTH, height, 0.9f);
        }
        float x = MARGIN;
        for (int i = 0; i < cells.size(); i++) {
            float lineY = y - PADDING - CELL;
            Font cellFont = !header && ReportDocument.missed(String.join(" ", cells.get(i))) ? Font.BOLD : font;
            for (String line : cells.get(i)) {
                pdf.text(cellFont, CELL, x + PADDING, lineY, line);
                lineY -= leading(CELL);
            }
            x += widths[i];
        }
        y -= height;
        pdf.line(MARGIN, y, MARGIN + WIDTH, y, 0.3f, 0.6f);
    }

    private static List<List<String>> cells(List<String> row, float[] widths, Font font) {
        List<List<String>> cells = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            cells.add(wrap(row.get(i), font, CELL, widths[i] - 2 * PADDING));
        }
        return cells;
    }

    private static float height(List<List<String>> cells) {
        int lines = 1;
        for (List<String> cell : cells) {
            lines = Math.max(lines, cell.size());
        }
        return lines * leading(CELL) + 2 * PADDING;
    }

    private static float leading(float size) {
        return size * 1.3f;
    }

    /** {@code text} broken into lines no wider than {@code width}: at spaces, or inside a word too long for a line. */
    static List<String> wrap(String text, Font font, float size, float width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        float lineWidth = 0;
        float space = font.width(' ') * size / 1000f;
        for (String word : text.split(" ", -1)) {
            float wordWidth = font.width(word, size);
            if (line.length() > 0 && lineWidth + space + wordWidth <= width) {
                line.append(' ').append(word);
                lineWidth += space + wordWidth;
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
                lineWidth = 0;
            }
            for (int i = 0; i < word.length(); i++) {
                float charWidth = font.width(word.charAt(i)) * size / 1000f;
                if (line.length() > 0 && lineWidth + charWidth > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                    lineWidth = 0;
                }
                line.append(word.charAt(i));
                lineWidth += charWidth;
            }
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code text} cut to {@code width}, ending in "..." when cut. */
    private static String fit(String text, Font font, float size, float width) {
        if (font.width(text, size) <= width) {
            return text;
        }
        float ellipsis = font.width("...", size);
        StringBuilder cut = new StringBuilder();
        float used = 0;
        for (int i = 0; i < text.length(); i++) {
            float charWidth = font.width(text.charAt(i)) * size / 1000f;
            if (used + charWidth + ellipsis > width) {
                break;
            }
            cut.append(text.charAt(i));
            used += charWidth;
        }
        return cut + "...";
    }
}
