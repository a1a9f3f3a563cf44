package dev.vigil.collector.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * A minimal PDF 1.4 writer for text pages: A4 pages drawn with the two standard fonts Helvetica and
 * Helvetica-Bold (every PDF reader has them, so nothing is embedded), thin lines and grey boxes,
 * content streams deflated, a cross-reference table with exact byte offsets. Text is encoded in
 * WinAnsiEncoding (Windows-1252): a character outside it prints as {@code ?}. Written by hand rather
 * than with a PDF library because a report needs only this, and the collector jar stays free of one.
 */
final class PdfDocument {
    /** A4 width in points. */
    static final float WIDTH = 595.28f;
    /** A4 height in points. */
    static final float HEIGHT = 841.89f;
    private static final Charset WIN_ANSI = Charset.forName("windows-1252");
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final int FIRST_PAGE_OBJECT = 6;

    /** The two fonts, with Adobe's character widths for printable ASCII (thousandths of the size). */
    enum Font {
        /** Helvetica. */
        REGULAR("F1", "Helvetica", new short[] {
            278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584}),
        /** Helvetica-Bold. */
        BOLD("F2", "Helvetica-Bold", new short[] {
            278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
            975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
            333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
            611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584});

        /** Characters outside printable ASCII are measured as a digit: close for accented letters. */
        private static final int OTHER = 556;
        private final String resource;
        private final String baseFont;
        private final short[] widths;

        Font(String resource, String baseFont, short[] widths) {
            this.resource = resource;
            this.baseFont = baseFont;
            this.widths = widths;
        }

        /** The width of {@code text} at {@code size} points, in points. */
        float width(String text, float size) {
            long thousandths = 0;
            for (int i = 0; i < text.length(); i++) {
                thousandths += width(text.charAt(i));
            }
            return thousandths * size / 1000f;
        }

        /** The width of {@code c}, thousandths of the font size. */
        int width(char c) {
            return c >= 32 && c <= 126 ? widths[c - 32] : OTHER;
        }
    }

    /** The finished pages' content, deflated as each page ends, so a long report is not held as text. */
    private final List<byte[]> bodies = new ArrayList<>();
    /** What was drawn on a page after it ended (the page numbers): a second content stream, by page. */
    private final List<StringBuilder> stamps = new ArrayList<>();
    private StringBuilder current;
    private final CharsetEncoder encoder = WIN_ANSI.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(new byte[] {'?'});

    /** Ends the current page, if any, and starts a new one; drawing goes to it. */
    void newPage() {
        endPage();
        current = new StringBuilder(16_384);
        stamps.add(null);
    }

    /** How many pages there are. */
    int pageCount() {
        return stamps.size();
    }

    /**
     * Draws {@code text} on page {@code page} (0-based) with its baseline starting at ({@code x}, {@code y});
     * on an ended page, in a second content stream drawn over the first.
     */
    void text(int page, Font font, float size, float x, float y, String text) {
        StringBuilder content = page == stamps.size() - 1 && current != null ? current : stamp(page);
        content.append("BT /").append(font.resource).append(' ').append(number(size)).append(" Tf ")
                .append(number(x)).append(' ').append(number(y)).append(" Td <").append(HEX.formatHex(encode(text)))
                .append("> Tj ET\n");
    }

    /** Draws {@code text} on the last page. */
    void text(Font font, float size, float x, float y, String text) {
        text(stamps.size() - 1, font, size, x, y, text);
    }

    /** Draws a line {@code widthPoints} wide in {@code grey} (0 black .. 1 white) on the last page. */
    void line(float x1, float y1, float x2, float y2, float widthPoints, float grey) {
        current.append(number(grey)).append(" G ").append(number(widthPoints)).append(" w ")
                .append(number(x1)).append(' ').append(number(y1)).append(" m ").append(number(x2)).append(' ')
                .append(number(y2)).append(" l S 0 G\n");
    }

    /** Fills a rectangle in {@code grey} (0 black .. 1 white) on the last page; (x, y) is its lower left corner. */
    void box(float x, float y, float width, float height, float grey) {
        current.append(number(grey)).append(" g ").append(number(x)).append(' ').append(number(y))
                .append(' ').append(number(width)).append(' ').append(number(height)).append(" re f 0 g\n");
    }

    /** The document, titled {@code title}, created at {@code created}; no drawing after this. */
    byte[] toBytes(String title, Instant created) {
        if (stamps.isEmpty()) {
            newPage();
        }
        endPage();
        int pages = stamps.size();
        Output out = new Output();
        out.ascii("%PDF-1.4\n%");
        // A comment of bytes above 127 marks the file as binary for transfer tools.
        out.bytes(new byte[] {(byte) 0xE2, (byte) 0xE3, (byte) 0xCF, (byte) 0xD3, '\n'});
        // Per page: the page, its body and its stamp (an empty stream when it has none).
        int objects = FIRST_PAGE_OBJECT - 1 + 3 * pages;
        long[] offsets = new long[objects + 1];
        offsets[1] = out.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(FIRST_PAGE_OBJECT + 3 * i).append(" 0 R ");
        }
        offsets[2] = out.object(2, "<< /Type /Pages /Count " + pages + " /Kids [" + kids + "] >>");
        offsets[3] = out.object(3, font(Font.REGULAR));
        offsets[4] = out.object(4, font(Font.BOLD));
        String date = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT).format(created.atOffset(ZoneOffset.UTC));
        offsets[5] = out.object(5, "<< /Title <FEFF" + HEX.formatHex(title.getBytes(StandardCharsets.UTF_16BE))
                + "> /Producer (Vigil) /CreationDate (D:" + date + "Z) >>");
        for (int i = 0; i < pages; i++) {
            int page = FIRST_PAGE_OBJECT + 3 * i;
            offsets[page] = out.object(page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(WIDTH) + " "
                    + number(HEIGHT) + "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents [" + (page + 1)
                    + " 0 R " + (page + 2) + " 0 R] >>");
            offsets[page + 1] = out.stream(page + 1, bodies.get(i));
            StringBuilder stamp = stamps.get(i);
            offsets[page + 2] = out.stream(page + 2, deflate(stamp == null ? "" : stamp.toString()));
        }
        long xref = out.position();
        StringBuilder table = new StringBuilder("xref\n0 " + (objects + 1) + "\n0000000000 65535 f \n");
        for (int i = 1; i <= objects; i++) {
            table.append(String.format(Locale.ROOT, "%010d 00000 n \n", offsets[i]));
        }
        table.append("trailer\n<< /Size ").append(objects + 1).append(" /Root 1 0 R /Info 5 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        out.ascii(table.toString());
        return out.toByteArray();
    }

    private void endPage() {
        if (current != null) {
            bodies.add(deflate(current.toString()));
            current = null;
        }
    }

    private StringBuilder stamp(int page) {
        if (stamps.get(page) == null) {
            stamps.set(page, new StringBuilder(256));
        }
        return stamps.get(page);
    }

    private static String font(Font font) {
        return "<< /Type /Font /Subtype /Type1 /BaseFont /" + font.baseFont + " /Encoding /WinAnsiEncoding >>";
    }

    private byte[] encode(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            printable.append(Character.isISOControl(c) ? ' ' : c);
        }
        try {
            ByteBuffer bytes = encoder.reset().encode(CharBuffer.wrap(printable));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("the encoder replaces what it cannot encode", e);
        }
    }

    private static byte[] deflate(String text) {
        // Content streams hold only ASCII: text is written as hex strings.
        byte[] content = text.getBytes(StandardCharsets.US_ASCII);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
            byte[] buffer = new byte[16_384];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** {@code value} with two decimals: written thousands of times per page, so not with String.format. */
    private static String number(float value) {
        long hundredths = Math.round(value * 100.0);
        StringBuilder text = new StringBuilder(12);
        if (hundredths < 0) {
            text.append('-');
            hundredths = -hundredths;
        }
        long fraction = hundredths % 100;
        return text.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction).toString();
    }

    /** The bytes written so far, counting the offsets the cross-reference table needs. */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(65_536);
        }

        long position() {
            return count;
        }

        void ascii(String text) {
            bytes(text.getBytes(StandardCharsets.US_ASCII));
        }

        void bytes(byte[] data) {
            write(data, 0, data.length);
        }

        long stream(int number, byte[] deflated) {
            long offset = position();
            ascii(number + " 0 obj\n<< /Length " + deflated.length + " /Filter /FlateDecode >>\nstream\n");
            bytes(deflated);
            ascii("\nendstream\nendobj\n");
            return offset;
        }

        long object(int number, String dictionary) {
            long offset = position();
            ascii(number + " 0 obj\n" + dictionary + "\nendobj\n");
            return offset;
        }
    }
}
