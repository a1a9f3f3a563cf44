package dev.vigil.collector.status;

import static dev.vigil.collector.status.StatusScenario.MINUTE;
import static dev.vigil.collector.status.StatusScenario.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.change.Change;
import dev.vigil.collector.change.ChangeRisk;
import dev.vigil.collector.change.ChangeStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each service's public page ({@code GET /services/{name}}) on a real collector fed over HTTP
 * ({@link StatusScenario}), with changes recorded in its change file: the state, the day bars, the
 * service's maintenance, incidents and changes, none of a change's private fields, and the 404 page.
 */
class ServicePageTest {
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final Pattern BAR = Pattern.compile("<i class=\"bar (\\w+)\" title=\"[^\"]*\"></i>");
    /** What a change carries that the public page must never show. */
    private static final List<String> PRIVATE = List.of("alice-the-deployer", "redeploy 1.9 from the vault",
            "EXT-SECRET-9", "ci.internal.example", "chg-");

    @TempDir
    Path dir;
    Collector collector;
    TestAgent agent;

    @BeforeEach
    void start() throws IOException {
        long now = NOW.toEpochMilli();
        Files.createDirectories(dir.resolve("data"));
        ChangeStore store = ChangeStore.open(dir.resolve("data/changes.json"));
        store.add(change("web", "deploy web 2.0", now - 2 * HOUR, OptionalLong.of(now - 2 * HOUR + 10 * MINUTE),
                ChangeRisk.MEDIUM));
        store.add(change("web", "switch the <b>CDN</b>", now - 3 * DAY, OptionalLong.empty(), ChangeRisk.LOW));
        store.add(change("web", "an old change", now - 15 * DAY, OptionalLong.of(now - 15 * DAY + HOUR),
                ChangeRisk.LOW));
        store.add(change("web", "move to the new region", now + DAY, OptionalLong.of(now + DAY + 2 * HOUR),
                ChangeRisk.HIGH));
        store.add(change("api", "an api change", now - HOUR, OptionalLong.empty(), ChangeRisk.HIGH));
        collector = StatusScenario.start(dir);
        agent = StatusScenario.feed(collector);
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void showsTheServiceWithItsBarsIncidentsAndChangesButNoPrivateChangeField() {
        String html = page("/services/web");

        assertThat(html).contains("<title>web - Service status</title>", "<h1>web</h1>", "<a href=\"/\">",
                "<span class=\"state up\">Operational</span>", "The &lt;b&gt;shop&lt;/b&gt; &amp; checkout",
                "99.44% uptime", "Response time, last 24 hours");
        assertThat(BAR.matcher(html).results().count()).isEqualTo(90);
        assertThat(section(html, "incidents past")).contains("web is down");
        assertThat(section(html, "changes recent")).contains(
                "<span class=\"tag\">medium risk</span> <strong>deploy web 2.0</strong>",
                "2026-11-20 10:00 UTC to 2026-11-20 10:10 UTC (10m)",
                "<strong>switch the &lt;b&gt;CDN&lt;/b&gt;</strong>", "2026-11-17 12:00 UTC</div>");
        assertThat(section(html, "changes recent").indexOf("deploy web 2.0"))
                .isLessThan(section(html, "changes recent").indexOf("switch the"));
        assertThat(section(html, "changes upcoming")).contains("high risk", "move to the new region",
                "2026-11-21 12:00 UTC to 2026-11-21 14:00 UTC (2h)");
        assertThat(html).doesNotContain("an old change", "an api change", "api is down", "Index rebuild");
        for (String hidden : PRIVATE) {
            assertThat(html).doesNotContain(hidden);
        }
        assertThat(html).doesNotContain("<script", "<link", "<img", "url(", "@import", "edge-1", "127.0.0.1");
    }

    @Test
    void showsTheOpenIncidentsAndTheMaintenanceOfThatServiceOnly() {
        String api = page("/services/api");
        assertThat(section(api, "incidents open")).contains("Investigating", "api is down");
        assertThat(section(api, "changes recent")).contains("an api change");
        assertThat(api).doesNotContain("s3cret-token", "Index rebuild", "deploy web 2.0");

        String db = page("/services/db");
        assertThat(db).contains("<span class=\"state maintenance\">Maintenance</span>");
        assertThat(section(db, "maintenance")).contains("In progress", "Index rebuild", "Scheduled",
                "Database upgrade &lt;CHG-42&gt; &amp; failover test");
        assertThat(db).contains("No changes planned.", "No changes.", "No incidents.").doesNotContain("alice");
    }

    @Test
    void theStatusPageLinksEachServiceToItsPage() {
        String html = new String(agent.get("/").body(), StandardCharsets.UTF_8);

        for (String service : List.of("web", "api", "db", "docs")) {
            assertThat(html).contains("<h3><a href=\"/services/" + service + "\">" + service + "</a></h3>");
        }
        assertThat(page("/services/docs")).contains("<span class=\"state unknown\">Unknown</span>", "no data");
    }

    @Test
    void answersAnUnknownServiceWithA404PageUnderTheSameHeaders() {
        HttpResponse<byte[]> response = agent.get("/services/nope%3Cscript%3E");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .contains(StatusRoutes.CONTENT_SECURITY_POLICY);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("There is no service named <strong>nope&lt;script&gt;</strong>.")
                .doesNotContain("<script>");
    }

    @Test
    void sendsTheServicePageWithTheStatusPagesHeadersAndGzippedWhenAsked() throws IOException {
        HttpResponse<byte[]> plain = agent.get("/services/web");
        assertThat(plain.headers().firstValue("Content-Security-Policy"))
                .contains(StatusRoutes.CONTENT_SECURITY_POLICY);
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(plain.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(plain.headers().firstValue("Cache-Control")).contains("public, max-age=5");

        HttpResponse<byte[]> zipped = agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/services/web"))
                .header("Accept-Encoding", "gzip").GET().build());
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
        }
    }

    private String page(String path) {
        HttpResponse<byte[]> response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String section(String html, String cssClass) {
        int start = html.indexOf("<section class=\"" + cssClass + "\">");
        assertThat(start).as("the section " + cssClass).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static Change change(String service, String summary, long start, OptionalLong end, ChangeRisk risk) {
        return new Change("chg-1", service, summary, "alice-the-deployer", start, end, risk,
                "redeploy 1.9 from the vault", Optional.of("EXT-SECRET-9-" + summary.hashCode()), true, "api",
                List.of("https://ci.internal.example/run/1"), start);
    }
}
