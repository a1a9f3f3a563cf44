package dev.vigil.collector.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

/** The SVG badges: well-formed, sized from the text, coloured by threshold, and with text escaped. */
class BadgeTest {

    @Test
    void isWellFormedSvgAsWideAsItsTwoTextsAndTheirPadding() throws Exception {
        Badge badge = new Badge("uptime 30d", "99.95%", Badge.BRIGHT_GREEN);

        Document svg = parse(badge.svg());

        int label = (Badge.textWidthTenths("uptime 30d") + 9) / 10 + 10;
        int value = (Badge.textWidthTenths("99.95%") + 9) / 10 + 10;
        assertThat(svg.getDocumentElement().getAttribute("width")).isEqualTo(String.valueOf(label + value));
        assertThat(svg.getDocumentElement().getAttribute("aria-label")).isEqualTo("uptime 30d: 99.95%");
        assertThat(svg.getElementsByTagName("text").getLength()).isEqualTo(4);
        assertThat(svg.getElementsByTagName("text").item(3).getTextContent()).isEqualTo("99.95%");
    }

    @Test
    void estimatesWiderTextForWiderLetters() {
        assertThat(Badge.textWidthTenths("mmmm")).isGreaterThan(Badge.textWidthTenths("iiii"));
        assertThat(Badge.textWidthTenths("vigil")).isEqualTo(65 + 31 + 70 + 31 + 31);
        assertThat(Badge.textWidthTenths("é")).isEqualTo(90);
    }

    @Test
    void escapesItsTextAndRefusesAColourThatIsNotHex() throws Exception {
        Document svg = parse(new Badge("a<b>&\"c\"", "x", Badge.RED).svg());
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("a<b>&\"c\": x");

        assertThatThrownBy(() -> new Badge("a", "b", "red\"/><script>"))
                .hasMessage("colour must be #rgb or #rrggbb (was 'red\"/><script>')");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "1.0, 100%, #4c1",
        "0.999, 99.90%, #4c1",
        "0.99999, 99.99%, #4c1",
        "0.9989, 99.89%, #97ca00",
        "0.99, 99.00%, #97ca00",
        "0.96, 96.00%, #dfb317",
        "0.91, 91.00%, #fe7d37",
        "0.5, 50.00%, #e05d44",
        "0.0, 0.00%, #e05d44",
        "NaN, no data, #9f9f9f",
    })
    void coloursTheUptimeByThresholdAndNeverRoundsDowntimeUpToAHundredPercent(double availability, String value,
            String colour) {
        Badge badge = Badge.uptime(30, availability);

        assertThat(badge.label()).isEqualTo("uptime 30d");
        assertThat(badge.value()).isEqualTo(value);
        assertThat(badge.colour()).isEqualTo(colour);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
