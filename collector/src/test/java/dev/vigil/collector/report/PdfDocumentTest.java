package dev.vigil.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.report.PdfDocument.Font;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The hand-written PDF writer against PDFBox as the oracle: its font metrics are Adobe's, its pages parse
 * back with their text, and the report's line breaking never runs past the width it is given.
 */
class PdfDocumentTest {

    @Test
    void measuresPrintableAsciiWithAdobesWidthsAsPdfboxShipsThem() throws IOException {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        for (char c = 32; c <= 126; c++) {
            assertThat(Font.REGULAR.width(c)).as("Helvetica '%s'", c).isEqualTo((int) helvetica.getWidth(c));
            assertThat(Font.BOLD.width(c)).as("Helvetica-Bold '%s'", c).isEqualTo((int) bold.getWidth(c));
        }
    }

    @Test
    void pagesParseBackWithTheirTextAndCharactersOutsideWinAnsiAsQuestionMarks() throws IOException {
        PdfDocument document = new PdfDocument();
        for (int page = 0; page < 3; page++) {
            document.newPage();
            document.box(40, 700, 200, 20, 0.9f);
            document.line(40, 690, 500, 690, 0.5f, 0.5f);
            document.text(Font.BOLD, 12, 40, 760, "Page (" + (page + 1) + ") \\ backslash");
            document.text(Font.REGULAR, 9, 40, 740, "Grüße 5 € \u2264 \u6771");
        }
        byte[] bytes = document.toBytes("Titel \u2264 \u6771", Instant.parse("2026-11-20T12:00:00Z"));

        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(3);
            assertThat(pdf.getDocumentInformation().getTitle()).isEqualTo("Titel \u2264 \u6771");
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(2);
            stripper.setEndPage(2);
            assertThat(stripper.getText(pdf)).contains("Page (2) \\ backslash", "Grüße 5 € ? ?");
        }
    }

    @Test
    void wrapsTextWithinTheWidthItIsGiven() {
        SplittableRandom random = new SplittableRandom(3);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_/<>@WMmi";
        for (int run = 0; run < 500; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            float width = 20 + random.nextInt(300);
            List<String> lines = ReportPdf.wrap(text.toString(), Font.REGULAR, 8, width);
            for (String line : lines) {
                assertThat(Font.REGULAR.width(line, 8)).as("'%s' in %s pt", line, width).isLessThanOrEqualTo(width);
            }
            assertThat(String.join("", lines).replace(" ", "")).isEqualTo(text.toString().replace(" ", ""));
        }
    }
}
