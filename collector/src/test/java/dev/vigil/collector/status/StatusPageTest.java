package dev.vigil.collector.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page and the badges on a real collector fed over HTTP ({@link StatusScenario}): every
 * service with its state, 90 day bars and uptime, the open and past incidents without their detail,
 * the maintenance announcements, nothing about agents or targets, and the security headers.
 */
class StatusPageTest {
    private static final Pattern BAR = Pattern.compile("<i class=\"bar (\\w+)\" title=\"([^\"]*)\"></i>");

    @TempDir
    Path dir;
    Collector collector;
    TestAgent agent;

    @BeforeEach
    void start() {
        collector = StatusScenario.start(dir);
        agent = StatusScenario.feed(collector);
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void showsEachServiceWithItsStateAndNinetyDayBars() {
        String html = page();

        assertThat(html).contains("<div class=\"banner partial\" role=\"status\">Partial outage</div>");
        assertThat(state(html, "web")).isEqualTo("up\">Operational");
        assertThat(state(html, "api")).isEqualTo("down\">Outage");
        assertThat(state(html, "db")).isEqualTo("maintenance\">Maintenance");
        assertThat(state(html, "docs")).isEqualTo("unknown\">Unknown");
        for (String service : new String[] {"web", "api", "db", "docs"}) {
            assertThat(BAR.matcher(article(html, service)).results().count()).as(service).isEqualTo(90);
        }

        // web: yesterday 18 hours measured with 10 minutes down, today 12 hours up; nothing before.
        String web = article(html, "web");
        assertThat(bar(web, 89)).containsExactly("up", "2026-11-20 (today so far): 100% available, no downtime");
        assertThat(bar(web, 88)).containsExactly("degraded", "2026-11-19: 99.07% available, 10m down");
        assertThat(bar(web, 87)).containsExactly("nodata", "2026-11-18: no data");
        assertThat(bar(web, 0)).containsExactly("nodata", "2026-08-23: no data");
        assertThat(web).contains("99.44% uptime", "The &lt;b&gt;shop&lt;/b&gt; &amp; checkout",
                "Response time, last 24 hours: median ");
        // api: 2 hours measured today, the last one down.
        assertThat(bar(article(html, "api"), 89)).containsExactly("down",
                "2026-11-20 (today so far): 50.00% available, 1h down");
        // db: the 30 minutes of maintenance so far are left out of the measured time.
        assertThat(bar(article(html, "db"), 89)).containsExactly("up",
                "2026-11-20 (today so far): 100% available, no downtime, 30m maintenance");
        assertThat(article(html, "docs")).contains("no data</span>").doesNotContain("Response time");
    }

    @Test
    void listsIncidentsByTitleAndTimeButNeverTheirDetail() {
        String html = page();

        assertThat(section(html, "incidents open")).contains("Investigating", "<strong>api is down</strong>",
                "api · since 2026-11-20 11:00 UTC (1h)").doesNotContain("web is down");
        assertThat(section(html, "incidents past")).contains("<strong>web is down</strong>",
                "web · 2026-11-19 11:00 UTC, lasted 10m · Resolved");
        assertThat(html).doesNotContain("127.0.0.1", "s3cret", "refused", "expected 2xx", "edge-1", "edge-token",
                "alice", "5432", "http://", "https://");
    }

    @Test
    void announcesRunningAndUpcomingMaintenanceWithTheirReasons() {
        String maintenance = section(page(), "maintenance");

        assertThat(maintenance).contains("In progress</span> <strong>Index rebuild</strong>",
                "db · 2026-11-20 11:30 UTC to 2026-11-20 12:30 UTC (1h)",
                "Scheduled</span> <strong>Database upgrade &lt;CHG-42&gt; &amp; failover test</strong>",
                "db · 2026-11-21 02:00 UTC to 2026-11-21 04:00 UTC (2h)");
        assertThat(maintenance.indexOf("Index rebuild")).isLessThan(maintenance.indexOf("Database upgrade"));
        assertThat(maintenance).doesNotContain("Old window");
    }

    @Test
    void sendsThePageWithItsSecurityHeadersAndGzippedWhenAsked() throws IOException {
        HttpResponse<byte[]> plain = agent.get("/");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:");
        assertThat(plain.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        String html = new String(plain.body(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script", "<link", "<img", "url(", "@import");

        HttpResponse<byte[]> zipped = agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/"))
                .header("Accept-Encoding", "gzip").GET().build());
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.body().length).isLessThan(plain.body().length / 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(html);
        }
    }

    @Test
    void drawsStatusBadgesInTheStateColour() {
        assertBadge("/badges/web/status.svg", "vigil: up", "#2da44e");
        assertBadge("/badges/api/status.svg", "vigil: down", "#cf222e");
        assertBadge("/badges/db/status.svg", "vigil: maintenance", "#3b82f6");
        assertBadge("/badges/docs/status.svg", "vigil: unknown", "#9f9f9f");
    }

    @Test
    void drawsUptimeBadgesOverTheDaysAsked() {
        assertBadge("/badges/web/uptime.svg", "uptime 30d: 99.44%", Badge.GREEN);
        assertBadge("/badges/web/uptime.svg?days=1", "uptime 1d: 100%", Badge.BRIGHT_GREEN);
        assertBadge("/badges/api/uptime.svg?days=90", "uptime 90d: 50.00%", Badge.RED);
        assertBadge("/badges/docs/uptime.svg?days=7", "uptime 7d: no data", Badge.GREY);
    }

    @Test
    void answersBadgeErrorsAsJsonNamingWhatIsWrong() {
        assertError("/badges/nope/status.svg", 404, "no service named 'nope'");
        assertError("/badges/nope/uptime.svg", 404, "no service named 'nope'");
        assertError("/badges/web/uptime.svg?days=0", 400, "days must be a whole number 1..90 (was '0')");
        assertError("/badges/web/uptime.svg?days=91", 400, "days must be a whole number 1..90 (was '91')");
        assertError("/badges/web/uptime.svg?days=week", 400, "days must be a whole number 1..90 (was 'week')");
    }

    private String page() {
        HttpResponse<byte[]> response = agent.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private void assertBadge(String path, String title, String colour) {
        HttpResponse<byte[]> response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(path).contains("image/svg+xml; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).as(path).contains("public, max-age=30");
        String svg = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(svg).as(path).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("aria-label=\"" + title + "\"", "<title>" + title + "</title>", "fill=\"" + colour + "\"")
                .doesNotContain("<script");
    }

    private void assertError(String path, int status, String message) {
        HttpResponse<byte[]> response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(path).contains("application/json");
        assertThat(new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error")).as(path)
                .isEqualTo(message);
    }

    private static String article(String html, String service) {
        int start = html.indexOf("<article class=\"card service\" id=\"service-" + service + "\">");
        assertThat(start).as("the article of " + service).isNotNegative();
        return html.substring(start, html.indexOf("</article>", start));
    }

    private static String section(String html, String cssClass) {
        int start = html.indexOf("<section class=\"" + cssClass + "\">");
        assertThat(start).as("the section " + cssClass).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static String state(String html, String service) {
        Matcher matcher = Pattern.compile("<span class=\"state ([^<]*)</span>").matcher(article(html, service));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String[] bar(String article, int index) {
        MatchResult[] bars = BAR.matcher(article).results().toArray(MatchResult[]::new);
        return new String[] {bars[index].group(1), bars[index].group(2)};
    }
}
