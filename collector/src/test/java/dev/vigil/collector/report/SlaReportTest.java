package dev.vigil.collector.report;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLA report on a real collector, fed through its ingest API in October 2026 and asked in November:
 * two customers and a service without one, a calendar in Europe/Berlin, a maintenance window with who
 * and why, outages and an acknowledged incident; every format, the filters, the errors and the job API.
 */
class SlaReportTest {
    private static final String ADMIN = "admin-token-for-tests";
    /** Samples one a minute from here for an hour. */
    private static final long T0 = Instant.parse("2026-10-14T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String REASON = "PostgreSQL upgrade <CHG-1234>, \"quoted\"";
    private static final String BETA = "Beta, \"Ltd\"";
    private static final String YAML = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-token
            api:
              admin_token: %s
            incidents:
              # Opened by the metrics refresh whenever it runs, so at times the test does not control.
              burn_rate: false
              budget_exhausted: false
            calendars:
              office:
                zone: Europe/Berlin
            slas:
              gold:
                period: month
                calendar: office
                objectives:
                  - availability: 99.9%%
                  - latency: {threshold: 250ms, target: 99%%}
              basic:
                objectives:
                  - availability: 99%%
            services:
              - name: shop
                customer: ACME Corp
                owner: web-team
                tier: gold
                description: Shop <front> & checkout
                sla: gold
                checks:
                  - {check: shop, agents: [edge-1]}
              - name: api
                customer: ACME Corp
                owner: "@ops"
                sla: gold
                checks:
                  - {check: api, agents: [edge-1]}
              - name: billing
                customer: '%s'
                sla: basic
                checks:
                  - {check: billing, agents: [edge-1]}
              - name: intranet
                sla: basic
                checks:
                  - {check: intranet, agents: [edge-1]}
              - name: wiki
            maintenance:
              - id: db-upgrade
                services: [shop]
                start: 2026-10-14T10:30:00Z
                end: 2026-10-14T10:40:00Z
                created_by: alice
                reason: '%s'
            """.formatted(ADMIN, BETA.replace("'", "''"), REASON.replace("'", "''"));

    @TempDir
    Path dir;
    TestClock clock;
    Collector collector;
    TestAgent agent;

    @BeforeEach
    void feedOctober() {
        clock = new TestClock(T0);
        collector = Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir), clock);
        agent = new TestAgent(collector.baseUri(), "edge-token");
        // shop fails at 10:10..10:14: one outage of 5 minutes, confirmed by the sample of 10:11, received
        // at 10:11:30, and acknowledged by alice at 10:20.
        String shop = "S".repeat(10) + "F".repeat(5) + "S".repeat(45);
        clock.set(T0 + 11 * MINUTE + 30_000);
        agent.ship(records("shop", shop.substring(0, 12), 0, T0, MINUTE));
        await().atMost(Duration.ofSeconds(30)).until(() -> incidents().size() == 1);
        clock.set(T0 + 20 * MINUTE);
        assertThat(acknowledge(incidents().getJsonObject(0).getString("key"), "alice").statusCode()).isEqualTo(200);
        clock.set(T0 + 60 * MINUTE + 30_000);
        agent.ship(records("shop", shop.substring(12), 12, T0 + 12 * MINUTE, MINUTE));
        agent.ship(records("api", "S".repeat(60), 100, T0, MINUTE));
        agent.ship(records("billing", "S".repeat(20) + "FFF" + "S".repeat(37), 200, T0, MINUTE));
        agent.ship(records("intranet", "S".repeat(60), 300, T0, MINUTE));
        clock.set(NOW.toEpochMilli());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void theJsonReportGroupsByCustomerAndCarriesTheSlaApisFiguresForTheMonth() {
        HttpResponse<byte[]> response = agent.get("/api/v1/reports/sla?period=previous&format=json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10.json\"");
        JsonObject report = new JsonObject(body(response));
        assertThat(report.getString("period")).isEqualTo("2026-10");
        assertThat(report.getString("generatedAt")).isEqualTo(NOW.toString());
        assertThat(report.getString("provider")).isEqualTo("Vigil collector at " + collector.baseUri().toString()
                .replaceAll("/$", ""));
        assertThat(report.getInteger("services")).isEqualTo(4);
        JsonArray customers = report.getJsonArray("customers");
        assertThat(customers).extracting(c -> ((JsonObject) c).getString("customer"))
                .containsExactly("ACME Corp", BETA, null);
        assertThat(services(customers.getJsonObject(0))).containsExactly("api", "shop");
        assertThat(services(customers.getJsonObject(2))).containsExactly("intranet");
        assertThat(report.getJsonArray("servicesWithoutSla")).containsExactly("wiki");

        for (Object customer : customers) {
            for (Object item : ((JsonObject) customer).getJsonArray("services")) {
                JsonObject service = (JsonObject) item;
                String name = service.getString("service");
                JsonObject api = agent.getJson("/api/v1/sla?service=" + name + "&period=2026-10");
                api.getJsonArray("objectives").forEach(objective -> ((JsonObject) objective).remove("burnRates"));
                assertThat(service.getJsonObject("figures")).as(name).isEqualTo(api);
            }
        }

        JsonObject shop = customers.getJsonObject(0).getJsonArray("services").getJsonObject(1);
        assertThat(shop.getString("zone")).isEqualTo("Europe/Berlin");
        assertThat(shop.getString("calendar")).isEqualTo("office");
        assertThat(shop.getString("description")).isEqualTo("Shop <front> & checkout");
        JsonObject figures = shop.getJsonObject("figures");
        assertThat(figures.getString("from")).isEqualTo("2026-09-30T22:00:00Z");
        assertThat(figures.getString("to")).isEqualTo("2026-10-31T23:00:00Z");
        assertThat(figures.getDouble("downtimeSeconds")).isEqualTo(300.0);
        assertThat(figures.getDouble("maintenanceSeconds")).isEqualTo(600.0);
        assertThat(figures.getDouble("availability")).isEqualTo(1 - 300.0 / figures.getDouble("agreedSeconds"));
        JsonObject maintenance = figures.getJsonArray("maintenance").getJsonObject(0);
        assertThat(maintenance.getString("createdBy")).isEqualTo("alice");
        assertThat(maintenance.getString("reason")).isEqualTo(REASON);
        assertThat(shop.getJsonArray("maintenanceWindows").getJsonObject(0).getJsonArray("intervals").getJsonObject(0))
                .isEqualTo(new JsonObject().put("start", "2026-10-14T10:30:00Z").put("end", "2026-10-14T10:40:00Z"));
        JsonObject incident = shop.getJsonArray("incidents").getJsonObject(0);
        assertThat(incident.getString("kind")).isEqualTo("outage");
        assertThat(incident.getString("start")).isEqualTo("2026-10-14T10:10:00Z");
        assertThat(incident.getString("detected")).isEqualTo("2026-10-14T10:11:30Z");
        assertThat(incident.getString("acknowledged")).isEqualTo("2026-10-14T10:20:00Z");
        assertThat(incident.getString("acknowledgedBy")).isEqualTo("alice");
        assertThat(incident.getString("resolved")).isEqualTo("2026-10-14T10:15:00Z");
        assertThat(incident.getDouble("durationSeconds")).isEqualTo(300.0);
        assertThat(incident.getDouble("timeToDetectSeconds")).isEqualTo(90.0);
        assertThat(shop.getDouble("incidentMttdSeconds")).isEqualTo(90.0);
        assertThat(shop.getDouble("incidentMttaSeconds")).isEqualTo(510.0);
        JsonObject kpis = shop.getJsonObject("kpis");
        assertThat(kpis.getInteger("incidents")).isEqualTo(1);
        assertThat(kpis.getInteger("open")).isZero();
        assertThat(kpis.getInteger("unacknowledged")).isZero();
        assertThat(kpis.getJsonObject("detect").getDouble("meanSeconds")).isEqualTo(90.0);
        assertThat(kpis.getJsonObject("detect").getDouble("targetSeconds")).isEqualTo(120.0);
        assertThat(kpis.getJsonObject("detect").getDouble("metPercent")).isEqualTo(100.0);
        assertThat(kpis.getJsonObject("acknowledge").getDouble("meanSeconds")).isEqualTo(510.0);
        assertThat(kpis.getJsonObject("acknowledge").getInteger("met")).isEqualTo(1);
        assertThat(kpis.getJsonObject("restore").getDouble("meanSeconds")).isEqualTo(300.0);
        assertThat(kpis.getJsonObject("restore").getInteger("missed")).isZero();
        assertThat(shop.getJsonArray("problems")).isEmpty();
        JsonObject api = customers.getJsonObject(0).getJsonArray("services").getJsonObject(0);
        assertThat(api.getJsonObject("kpis").getInteger("incidents")).isZero();
        assertThat(api.getJsonObject("kpis").getJsonObject("restore").getValue("meanSeconds")).isNull();
        assertThat(api.getJsonObject("kpis").getJsonObject("restore").getValue("metPercent")).isNull();
    }

    @Test
    void theCsvTablesHaveAHeaderOneRowPerItemAndQuoteAsRfc4180Says() {
        HttpResponse<byte[]> response = agent.get("/api/v1/reports/sla?period=2026-10&format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8; header=present");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10.csv\"");
        String csv = body(response);
        assertThat(csv).endsWith("\r\n");
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).startsWith("customer,service,owner,tier,sla,sla_period,calendar,zone,period,from,to,");
        // shop and api have two objectives each, billing and intranet one.
        assertThat(lines).hasSize(1 + 6);
        assertThat(lines[1]).startsWith("ACME Corp,api,'@ops,,gold,month,office,Europe/Berlin,2026-10,"
                + "2026-09-30T22:00:00Z,2026-10-31T23:00:00Z,2026-10-31T23:00:00Z,true,availability,availability,0.999,");
        assertThat(lines[3]).startsWith("ACME Corp,shop,web-team,gold,gold,month,");
        assertThat(lines[5]).startsWith("\"Beta, \"\"Ltd\"\"\",billing,,,basic,month,24x7,UTC,2026-10,");
        assertThat(lines[6]).startsWith(",intranet,");
        List<String> header = List.of(lines[0].split(","));
        List<String> shop = List.of(lines[3].split(","));
        JsonObject api = agent.getJson("/api/v1/sla?service=shop&period=2026-10");
        assertThat(shop.get(header.indexOf("availability"))).isEqualTo(api.getDouble("availability").toString());
        assertThat(shop.get(header.indexOf("downtime_seconds"))).isEqualTo("300.0");
        assertThat(shop.get(header.indexOf("maintenance_seconds"))).isEqualTo("600.0");
        assertThat(shop.get(header.indexOf("met"))).isEqualTo("false");
        assertThat(shop.get(header.indexOf("incidents"))).isEqualTo("1");

        String maintenance = body(agent.get("/api/v1/reports/sla?period=2026-10&format=csv&table=maintenance"));
        assertThat(maintenance.split("\r\n")).containsExactly(
                "customer,service,id,created_by,reason,created_at,excluded_seconds,intervals",
                "ACME Corp,shop,db-upgrade,alice,\"PostgreSQL upgrade <CHG-1234>, \"\"quoted\"\"\",1970-01-01T00:00:00Z,"
                        + "600.0,2026-10-14T10:30:00Z/2026-10-14T10:40:00Z");
        String outages = body(agent.get("/api/v1/reports/sla?period=2026-10&format=csv&table=outages"));
        assertThat(outages.split("\r\n")).containsExactly(
                "customer,service,sla,start,end,ongoing,detected,duration_seconds,downtime_seconds",
                "ACME Corp,shop,gold,2026-10-14T10:10:00Z,2026-10-14T10:15:00Z,false,2026-10-14T10:11:30Z,300.0,300.0",
                "\"Beta, \"\"Ltd\"\"\",billing,basic,2026-10-14T10:20:00Z,2026-10-14T10:23:00Z,false,"
                        + "2026-10-14T11:00:30Z,180.0,180.0");
        HttpResponse<byte[]> incidents = agent.get("/api/v1/reports/sla?period=2026-10&format=csv&table=incidents");
        assertThat(incidents.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10-incidents.csv\"");
        assertThat(body(incidents).split("\r\n")).anySatisfy(line -> assertThat(line).startsWith(
                "ACME Corp,shop,service/shop@" + (T0 + 10 * MINUTE) + ",outage,"));
    }

    @Test
    void theHtmlPageIsSelfContainedAndShowsWhoExcludedMaintenanceAndWhyEscaped() {
        HttpResponse<byte[]> response = agent.get("/api/v1/reports/sla?period=2026-10&format=html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10.html\"");
        String html = body(response);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<h2>Customer: ACME Corp</h2>", "<h2>Customer: Beta, &quot;Ltd&quot;</h2>",
                        "<h2>Customer: No customer</h2>", "<h3>shop</h3>",
                        "<td>alice</td><td>PostgreSQL upgrade &lt;CHG-1234&gt;, &quot;quoted&quot;</td>",
                        "<dd>Shop &lt;front&gt; &amp; checkout</dd>", "<td class=\"missed\">MISSED</td>",
                        "2026-10-14 12:30:00 to 2026-10-14 12:40:00", "How the figures are defined", "docs/sla.md",
                        "<h4>Service management</h4>", "<dd>1 (0 open, 0 unacknowledged)</dd>",
                        "<dd>1 min 30 s (target 2 min 00 s, 100.0% of 1 met)</dd>", "No problems.")
                .doesNotContain("<front>", "<CHG-1234>", "<script", "src=", "href=", "@import", "url(");
        assertThat(html.indexOf("Customer: ACME Corp")).isLessThan(html.indexOf("Customer: Beta"));
        assertThat(html.indexOf("Customer: Beta")).isLessThan(html.indexOf("Customer: No customer"));
    }

    @Test
    void headlessChromiumPrintsTheHtmlPageOnA4WithItsContent() throws IOException, InterruptedException {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium); "
                + "CI installs it");
        Path html = Files.write(dir.resolve("report.html"),
                agent.get("/api/v1/reports/sla?period=2026-10&format=html").body());
        Path printed = dir.resolve("printed.pdf");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--no-pdf-header-footer",
                "--print-to-pdf=" + printed, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished within 60 s").isTrue();

        assertThat(printed).exists();
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(printed))) {
            assertThat(pdf.getPage(0).getMediaBox().getWidth()).isCloseTo(595.28f, within(1.5f));
            assertThat(pdf.getPage(0).getMediaBox().getHeight()).isCloseTo(841.89f, within(1.5f));
            assertThat(new PDFTextStripper().getText(pdf)).contains("SLA report 2026-10", "Customer: ACME Corp", "shop",
                    "billing", "intranet", "alice", "PostgreSQL upgrade", "quoted");
        }
    }

    @Test
    void thePdfIsA4ParsesBackAndCarriesTheServicesAndTheirAvailability() throws IOException {
        HttpResponse<byte[]> response = agent.get("/api/v1/reports/sla?period=2026-10&format=pdf");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10.pdf\"");
        assertThat(new String(response.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument pdf = Loader.loadPDF(response.body())) {
            assertThat(pdf.getNumberOfPages()).isGreaterThanOrEqualTo(2);
            assertThat(pdf.getPage(0).getMediaBox().getWidth()).isEqualTo(595.28f);
            assertThat(pdf.getPage(0).getMediaBox().getHeight()).isEqualTo(841.89f);
            assertThat(pdf.getDocumentInformation().getTitle()).startsWith("SLA report 2026-10 - Vigil collector at");
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("SLA report 2026-10", "Customer: ACME Corp", "Customer: No customer", "shop",
                    "api", "billing", "intranet", "alice PostgreSQL upgrade", "<CHG-1234>, \"quoted\"", "not recorded",
                    "Shop <front> & checkout",
                    "Calendar office, zone Europe/Berlin", "Calendar 24x7, zone UTC",
                    "Page 1 of " + pdf.getNumberOfPages(), "Page " + pdf.getNumberOfPages() + " of "
                            + pdf.getNumberOfPages());
            for (String service : List.of("shop", "api", "billing", "intranet")) {
                double availability = agent.getJson("/api/v1/sla?service=" + service + "&period=2026-10")
                        .getDouble("availability");
                assertThat(text).as(service).contains(BigDecimal.valueOf(availability * 100)
                        .setScale(4, RoundingMode.FLOOR).toPlainString() + " %");
            }
        }
    }

    @Test
    void filtersByCustomerAndService() {
        JsonObject acme = agent.getJson("/api/v1/reports/sla?period=2026-10&customer=" + encode("ACME Corp"));
        assertThat(acme.getJsonArray("customers")).hasSize(1);
        assertThat(services(acme.getJsonArray("customers").getJsonObject(0))).containsExactly("api", "shop");
        assertThat(acme.getJsonObject("filters").getString("customer")).isEqualTo("ACME Corp");

        JsonObject billing = agent.getJson("/api/v1/reports/sla?period=2026-10&service=billing&customer="
                + encode(BETA));
        assertThat(billing.getInteger("services")).isEqualTo(1);
        assertThat(services(billing.getJsonArray("customers").getJsonObject(0))).containsExactly("billing");
        assertThat(billing.getJsonArray("servicesWithoutSla")).isEmpty();
    }

    @Test
    void namesTheParameterThatIsWrong() {
        assertError("/api/v1/reports/sla?period=2026-13", 400, "period must be current, previous or a month YYYY-MM "
                + "within the last 13 months, like 2026-11 (was '2026-13')");
        assertError("/api/v1/reports/sla?period=2025-09", 400, "period must be current, previous or a month YYYY-MM "
                + "within the last 13 months, like 2026-11 (was '2025-09')");
        assertError("/api/v1/reports/sla?period=2026-10&format=docx", 400,
                "format must be html, csv, json or pdf (was 'docx')");
        assertError("/api/v1/reports/sla?period=2026-10&format=csv&table=checks", 400,
                "table must be objectives, outages, incidents, maintenance, changes or suppliers (was 'checks')");
        assertError("/api/v1/reports/sla?period=2026-10&format=pdf&table=outages", 400,
                "table applies to format=csv only (was format=pdf)");
        assertError("/api/v1/reports/sla?period=2026-10&customer=", 400, "customer must not be empty when given");
        assertError("/api/v1/reports/sla?period=2026-10&service=nope", 404, "no service named 'nope'");
        assertError("/api/v1/reports/sla?period=2026-10&service=wiki", 404, "service 'wiki' has no SLA");
        assertError("/api/v1/reports/sla?period=2026-10&customer=Nobody", 404,
                "no service is provided to customer 'Nobody'");
        assertError("/api/v1/reports/sla?period=2026-10&service=billing&customer=" + encode("ACME Corp"), 404,
                "service 'billing' is not provided to customer 'ACME Corp'");
        assertError("/api/v1/reports/0123456789abcdef", 404,
                "no report job '0123456789abcdef' (jobs expire 10 minutes after they finish)");
    }

    @Test
    void aJobShowsItsProgressThenRedirectsToItsFile() throws IOException {
        HttpResponse<byte[]> started = agent.send(HttpRequest.newBuilder(
                        collector.baseUri().resolve("/api/v1/reports/sla?period=2026-10&format=pdf"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(started.statusCode()).isEqualTo(202);
        JsonObject job = new JsonObject(body(started));
        String id = job.getString("id");
        assertThat(started.headers().firstValue("Location")).contains("/api/v1/reports/" + id);
        assertThat(job.getString("period")).isEqualTo("2026-10");
        assertThat(job.getJsonObject("progress").getInteger("total")).isEqualTo(4);
        assertThat(job.getJsonObject("progress").getInteger("done")).isBetween(0, 4);

        List<Integer> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<byte[]> poll = agent.get("/api/v1/reports/" + id);
            seen.add(poll.statusCode());
            return poll.statusCode() == 303;
        });
        assertThat(seen).allMatch(status -> status == 200 || status == 303);
        HttpResponse<byte[]> done = agent.get("/api/v1/reports/" + id);
        assertThat(done.headers().firstValue("Location")).contains("/api/v1/reports/" + id + "/file");
        JsonObject progress = new JsonObject(body(done));
        assertThat(progress.getString("state")).isEqualTo("ready");
        assertThat(progress.getJsonObject("progress")).isEqualTo(new JsonObject().put("done", 4).put("total", 4));

        HttpResponse<byte[]> file = agent.get("/api/v1/reports/" + id + "/file");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-sla-2026-10.pdf\"");
        try (PDDocument pdf = Loader.loadPDF(file.body())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("billing");
        }
        // The file stays for the job's lifetime: fetched twice, the same bytes.
        assertThat(agent.get("/api/v1/reports/" + id + "/file").body()).isEqualTo(file.body());
    }

    private JsonArray incidents() {
        return agent.getJson("/api/v1/incidents").getJsonArray("incidents");
    }

    private HttpResponse<byte[]> acknowledge(String key, String by) {
        return agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/api/v1/incidents/"
                        + encode(key) + "/acknowledge"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("by", by).encode())).build());
    }

    private void assertError(String path, int status, String message) {
        HttpResponse<byte[]> response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(new JsonObject(body(response)).getString("error")).as(path).isEqualTo(message);
    }

    private static List<String> services(JsonObject customer) {
        return customer.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("service")).toList();
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
