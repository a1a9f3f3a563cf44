package dev.vigil.collector.report;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changes section of the SLA report on a real collector: in October 2026 shop had one change five
 * minutes before an outage (failed: it possibly induced it) and one after it that nothing followed
 * (succeeded), so its change success rate is 50 %; api had no change.
 */
class ReportChangesTest {
    private static final String ADMIN = "admin-token-for-tests";
    private static final long T0 = Instant.parse("2026-10-14T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String YAML = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-token
            api:
              admin_token: %s
            incidents:
              burn_rate: false
              budget_exhausted: false
            slas:
              basic:
                objectives:
                  - availability: 99%%
            services:
              - name: shop
                sla: basic
                checks:
                  - {check: shop, agents: [edge-1]}
              - name: api
                sla: basic
                checks:
                  - {check: api, agents: [edge-1]}
            """.formatted(ADMIN);
    private static final String DEPLOY = """
            {"service": "shop", "summary": "deploy shop 2.0", "by": "alice", "start": "2026-10-14T10:05:00Z",
             "end": "2026-10-14T10:06:00Z", "risk": "high", "rollback_plan": "redeploy 1.9",
             "external_id": "deploy-1", "approved": true}
            """;
    private static final String TWEAK = """
            {"service": "shop", "summary": "raise the cache size", "by": "bob", "start": "2026-10-14T11:30:00Z",
             "risk": "low", "external_id": "=cmd-2"}
            """;

    @TempDir
    Path dir;
    TestClock clock;
    Collector collector;
    TestAgent agent;
    String outageKey;

    @BeforeEach
    void feedOctober() {
        clock = new TestClock(T0);
        collector = Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir), clock);
        agent = new TestAgent(collector.baseUri(), "edge-token");
        assertThat(post(DEPLOY).statusCode()).isEqualTo(201);
        assertThat(post(TWEAK).statusCode()).isEqualTo(201);
        // shop fails at 10:10..10:14, five minutes after the deploy started.
        clock.set(T0 + 60 * MINUTE + 30_000);
        agent.ship(records("shop", "S".repeat(10) + "F".repeat(5) + "S".repeat(45), 0, T0, MINUTE));
        agent.ship(records("api", "S".repeat(60), 100, T0, MINUTE));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.getJson("/api/v1/incidents")
                .getJsonArray("incidents").size() == 1);
        outageKey = agent.getJson("/api/v1/incidents").getJsonArray("incidents").getJsonObject(0).getString("key");
        clock.set(Instant.parse("2026-11-20T12:00:00Z").toEpochMilli());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void theJsonReportListsEachChangeWithWhetherItFailedAndTheSuccessRate() {
        JsonObject report = agent.getJson("/api/v1/reports/sla?period=2026-10&format=json");

        JsonArray services = report.getJsonArray("customers").getJsonObject(0).getJsonArray("services");
        JsonObject api = services.getJsonObject(0).getJsonObject("changes");
        JsonObject shop = services.getJsonObject(1).getJsonObject("changes");
        assertThat(shop.getDouble("changeSuccessRatio")).isEqualTo(0.5);
        assertThat(shop.getJsonArray("changeInducedIncidents")).containsExactly(outageKey);
        assertThat(shop.getJsonArray("changes")).containsExactly(new JsonObject("""
                {"id": "chg-1", "start": "2026-10-14T10:05:00Z", "end": "2026-10-14T10:06:00Z",
                 "summary": "deploy shop 2.0", "by": "alice", "risk": "high", "approved": true,
                 "externalId": "deploy-1", "failed": true, "inducedIncidents": ["%s"]}
                """.formatted(outageKey)), new JsonObject("""
                {"id": "chg-2", "start": "2026-10-14T11:30:00Z", "end": null,
                 "summary": "raise the cache size", "by": "bob", "risk": "low", "approved": false,
                 "externalId": "=cmd-2", "failed": false, "inducedIncidents": []}
                """));
        assertThat(api).isEqualTo(new JsonObject("""
                {"changes": [], "changeInducedIncidents": [], "changeSuccessRatio": null}
                """));
        assertThat(agent.getJson("/api/v1/reports/sla?period=2026-09&format=json").getJsonArray("customers")
                .getJsonObject(0).getJsonArray("services").getJsonObject(1).getJsonObject("changes")
                .getJsonArray("changes")).isEmpty();
    }

    @Test
    void theHtmlAndPdfShowTheChangesTheIncidentTheyInducedAndTheRate() throws IOException {
        String html = new String(agent.get("/api/v1/reports/sla?period=2026-10&format=html").body(),
                StandardCharsets.UTF_8);
        String shop = html.substring(html.lastIndexOf("<h3"));

        assertThat(shop).contains("<h4>Changes</h4>", "50% (1 of 2 changes failed)", "deploy shop 2.0", "alice",
                "raise the cache size", "bob", "deploy-1", "open-ended", "failed: " + outageKey, "succeeded");
        assertThat(html).contains("No changes recorded.");

        try (PDDocument pdf = Loader.loadPDF(agent.get("/api/v1/reports/sla?period=2026-10&format=pdf").body())) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Changes", "50% (1 of 2 changes failed)", "deploy shop 2.0", "raise the cache",
                    "succeeded");
        }
    }

    @Test
    void theCsvTableOfChangesHasOneRowPerChangeWithFormulasDefused() {
        String csv = new String(agent.get("/api/v1/reports/sla?period=2026-10&format=csv&table=changes").body(),
                StandardCharsets.UTF_8);

        assertThat(csv.split("\r\n")).containsExactly(
                "customer,service,id,start,end,summary,by,risk,approved,external_id,failed,induced_incidents",
                ",shop,chg-1,2026-10-14T10:05:00Z,2026-10-14T10:06:00Z,deploy shop 2.0,alice,high,true,deploy-1,true,"
                        + outageKey,
                ",shop,chg-2,2026-10-14T11:30:00Z,,raise the cache size,bob,low,false,'=cmd-2,false,");
    }

    private HttpResponse<byte[]> post(String body) {
        return agent.send(HttpRequest.newBuilder(collector.baseUri().resolve("/api/v1/changes"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
