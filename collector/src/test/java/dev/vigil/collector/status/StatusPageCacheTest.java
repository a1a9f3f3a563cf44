package dev.vigil.collector.status;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page is built once per {@link StatusRoutes#PAGE_TTL} of the collector's clock: a change
 * within that time shows on the next page after it, and the badges, which are not cached, show it at once.
 */
class StatusPageCacheTest {
    @TempDir
    Path dir;

    @Test
    void servesTheSamePageUntilItIsFiveSecondsOldThenShowsWhatChanged() {
        TestClock clock = new TestClock(StatusScenario.NOW.toEpochMilli());
        try (Collector collector = StatusScenario.start(dir, clock)) {
            TestAgent agent = StatusScenario.feed(collector);
            String first = page(agent);
            assertThat(api(first)).contains("<span class=\"state down\">Outage</span>");

            clock.advance(Duration.ofSeconds(2));
            agent.ship(records("api", "SS", 5_000, StatusScenario.NOW.toEpochMilli(), 1_000));
            assertThat(new String(agent.get("/badges/api/status.svg").body(), StandardCharsets.UTF_8))
                    .contains("vigil: up");
            assertThat(page(agent)).isEqualTo(first);

            clock.advance(StatusRoutes.PAGE_TTL.minusSeconds(2));
            String next = page(agent);
            assertThat(next).contains("Updated 2026-11-20 12:00 UTC");
            assertThat(api(next)).contains("<span class=\"state up\">Operational</span>");
        }
    }

    private static String api(String html) {
        int start = html.indexOf("id=\"service-api\"");
        assertThat(start).isNotNegative();
        return html.substring(start, html.indexOf("</article>", start));
    }

    private static String page(TestAgent agent) {
        var response = agent.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
