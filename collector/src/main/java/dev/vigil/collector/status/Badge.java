package dev.vigil.collector.status;

import static dev.vigil.collector.status.PageText.escape;

import java.util.Locale;
import java.util.Objects;

/**
 * A badge in the flat style of shields.io: a grey label and a coloured value, as an SVG document. The
 * text widths are estimated from a table of 11 px advance widths (DejaVu Sans, close to Verdana, the
 * first font named), and {@code textLength} makes the renderer fit the text to them whichever font it
 * picks, so no font is fetched and nothing is measured at run time.
 *
 * @param label  the left part ("vigil", "uptime 30d")
 * @param value  the right part ("up", "99.95%")
 * @param colour the right part's background, {@code #rgb} or {@code #rrggbb}
 */
record Badge(String label, String value, String colour) {
    /**
     * Advance widths of the printable ASCII characters (space to tilde) at 11 px, in tenths of a pixel.
     */
    private static final int[] WIDTHS = {
        35, 44, 51, 92, 70, 105, 86, 30, 43, 43, 55, 92, 35, 40, 35, 37,
        70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 37, 37, 92, 92, 92, 58,
        110, 75, 75, 77, 85, 70, 63, 85, 83, 32, 32, 72, 61, 95, 82, 87,
        66, 87, 76, 70, 67, 81, 75, 109, 75, 67, 75, 43, 37, 43, 92, 55,
        55, 67, 70, 60, 70, 68, 39, 70, 70, 31, 31, 64, 31, 107, 70, 67,
        70, 70, 45, 57, 43, 70, 65, 90, 65, 65, 58, 70, 37, 70, 92,
    };
    /** The width assumed for any other character, in tenths of a pixel: that of a wide letter. */
    private static final int OTHER_WIDTH = 90;
    /** Space left and right of each text, pixels. */
    private static final int PADDING = 5;
    private static final String LABEL_COLOUR = "#555";

    /** Badge colours by uptime, as shields.io's: bright green from 99.9 %, then green, yellow, orange, red. */
    static final String BRIGHT_GREEN = "#4c1";
    static final String GREEN = "#97ca00";
    static final String YELLOW = "#dfb317";
    static final String ORANGE = "#fe7d37";
    static final String RED = "#e05d44";
    static final String GREY = "#9f9f9f";

    /** Validates. */
    Badge {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(colour, "colour");
        if (!colour.matches("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")) {
            throw new IllegalArgumentException("colour must be #rgb or #rrggbb (was '" + colour + "')");
        }
    }

    /** The status badge of a service in {@code state}: "vigil | up" green, "down" red, and so on. */
    static Badge status(PageState state) {
        return new Badge("vigil", state.label(), state.colour());
    }

    /**
     * The uptime badge: "uptime 30d | 99.95%", coloured by threshold, or "no data" in grey.
     *
     * @param days         the days covered, 1..90
     * @param availability 0..1, or NaN when nothing was measured
     */
    static Badge uptime(int days, double availability) {
        String label = "uptime " + days + "d";
        if (Double.isNaN(availability)) {
            return new Badge(label, "no data", GREY);
        }
        String colour;
        if (availability >= 0.999) {
            colour = BRIGHT_GREEN;
        } else if (availability >= 0.99) {
            colour = GREEN;
        } else if (availability >= 0.95) {
            colour = YELLOW;
        } else if (availability >= 0.90) {
            colour = ORANGE;
        } else {
            colour = RED;
        }
        return new Badge(label, PageText.percent(availability), colour);
    }

    /** The estimated width of {@code text} at 11 px, in tenths of a pixel. */
    static int textWidthTenths(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            width += c >= 32 && c < 32 + WIDTHS.length ? WIDTHS[c - 32] : OTHER_WIDTH;
        }
        return width;
    }

    /** The badge as an SVG document. */
    String svg() {
        int labelText = textWidthTenths(label);
        int valueText = textWidthTenths(value);
        // Whole pixels for the boxes, so that the edges are sharp.
        int labelWidth = (labelText + 9) / 10 + 2 * PADDING;
        int valueWidth = (valueText + 9) / 10 + 2 * PADDING;
        int width = labelWidth + valueWidth;
        String title = escape(label) + ": " + escape(value);
        // Text is drawn at 10x and scaled down, as shields.io does, for finer positioning.
        int labelX = labelWidth * 5;
        int valueX = labelWidth * 10 + valueWidth * 5;
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s">\
                <title>%2$s</title>\
                <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
                <stop offset="1" stop-opacity=".1"/></linearGradient>\
                <clipPath id="r"><rect width="%1$d" height="20" rx="3" fill="#fff"/></clipPath>\
                <g clip-path="url(#r)"><rect width="%3$d" height="20" fill="%4$s"/>\
                <rect x="%3$d" width="%5$d" height="20" fill="%6$s"/><rect width="%1$d" height="20" fill="url(#s)"/></g>\
                <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" \
                text-rendering="geometricPrecision" font-size="110">\
                <text aria-hidden="true" x="%7$d" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" \
                textLength="%8$d">%9$s</text>\
                <text x="%7$d" y="140" transform="scale(.1)" fill="#fff" textLength="%8$d">%9$s</text>\
                <text aria-hidden="true" x="%10$d" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" \
                textLength="%11$d">%12$s</text>\
                <text x="%10$d" y="140" transform="scale(.1)" fill="#fff" textLength="%11$d">%12$s</text></g></svg>
                """, width, title, labelWidth, LABEL_COLOUR, valueWidth, colour, labelX, labelText, escape(label),
                valueX, valueText, escape(value));
    }
}
