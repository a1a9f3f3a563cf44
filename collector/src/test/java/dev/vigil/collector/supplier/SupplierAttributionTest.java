package dev.vigil.collector.supplier;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.prometheus.Promtool;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supplier attribution on a real collector: two suppliers, each measured by its own probe service, and
 * three provider services whose outages overlap the suppliers' in different ways. Samples are a minute
 * apart over the hour before now; a run of failures from sample a to sample b is DOWN over [a, b + 1).
 */
class SupplierAttributionTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final long START = NOW.toEpochMilli() - 3_600_000L;
    private static final long MINUTE = 60_000L;
    private static final String YAML = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-token
            slas:
              standard:
                period: month
                objectives:
                  - availability: 99.9%
            suppliers:
              cloudy:
                kind: cloud
                contact: support@cloudy.example
                measured_by: [cloud-probe]
                sla: {availability: 99.95%}
              dnsco:
                kind: DNS
                measured_by: [dns-probe]
                sla: {availability: 80%}
            services:
              - name: cloud-probe
                checks:
                  - {check: cloud-probe, agents: [edge-1]}
              - name: dns-probe
                checks:
                  - {check: dns-probe, agents: [edge-1]}
              - name: shop
                sla: standard
                suppliers: [cloudy, dnsco]
                checks:
                  - {check: shop, agents: [edge-1]}
              - name: api
                sla: standard
                suppliers: [dnsco, cloudy]
                checks:
                  - {check: api, agents: [edge-1]}
              - name: web
                sla: standard
                checks:
                  - {check: web, agents: [edge-1]}
            """;

    @TempDir
    Path dir;

    @Test
    void supplierAttributionAddsUpToTheProvidersTotalDowntime() throws IOException, InterruptedException {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            JsonObject all = agent.getJson("/api/v1/suppliers?period=2026-11");
            assertThat(all.getString("period")).isEqualTo("2026-11");
            // cloudy down [10, 20), dnsco down [15, 25); shop down [12, 30): cloudy is first in its list and
            // takes [12, 20), dnsco [20, 25), the provider [25, 30).
            assertThat(parts(all, "shop")).containsExactly(Map.entry("cloudy", 8 * MINUTE),
                    Map.entry("dnsco", 5 * MINUTE), Map.entry("provider", 5 * MINUTE));
            // api down [5, 8) while no supplier was, and [16, 18) while both were: dnsco is first in its list.
            assertThat(parts(all, "api")).containsExactly(Map.entry("dnsco", 2 * MINUTE),
                    Map.entry("cloudy", 0L), Map.entry("provider", 3 * MINUTE));
            assertThat(parts(all, "web")).containsExactly(Map.entry("provider", 2 * MINUTE));
            for (String service : List.of("shop", "api", "web")) {
                long sum = parts(all, service).values().stream().mapToLong(Long::longValue).sum();
                JsonObject sla = agent.getJson("/api/v1/sla?service=" + service + "&period=2026-11");
                assertThat(sum).as(service).isEqualTo(service(all, service).getLong("downtimeMillis"))
                        .isEqualTo(Math.round(sla.getDouble("downtimeSeconds") * 1000));
            }
            JsonObject provider = all.getJsonObject("provider");
            assertThat(provider.getLong("downtimeMillis")).isEqualTo(25 * MINUTE);
            assertThat(longs(provider.getJsonObject("attributedMillis"))).containsExactly(
                    Map.entry("cloudy", 8 * MINUTE), Map.entry("dnsco", 7 * MINUTE), Map.entry("provider", 10 * MINUTE));

            JsonObject cloudy = supplier(all, "cloudy");
            assertThat(cloudy.getString("kind")).isEqualTo("cloud");
            assertThat(cloudy.getString("contact")).isEqualTo("support@cloudy.example");
            assertThat(cloudy.getDouble("target")).isEqualTo(0.9995);
            // Measured over the hour it has data for: 10 minutes down.
            assertThat(cloudy.getLong("measuredMillis")).isEqualTo(60 * MINUTE);
            assertThat(cloudy.getLong("downtimeMillis")).isEqualTo(10 * MINUTE);
            assertThat(cloudy.getInteger("outages")).isEqualTo(1);
            assertThat(cloudy.getDouble("availability")).isEqualTo(1 - 10.0 / 60);
            assertThat(cloudy.getBoolean("met")).isFalse();
            assertThat(cloudy.getLong("attributedMillis")).isEqualTo(8 * MINUTE);
            assertThat(longs(cloudy.getJsonObject("services"))).containsExactly(Map.entry("shop", 8 * MINUTE),
                    Map.entry("api", 0L));
            JsonObject dnsco = agent.getJson("/api/v1/suppliers/dnsco").getJsonObject("supplier");
            assertThat(dnsco.getString("kind")).isEqualTo("dns");
            assertThat(dnsco.getDouble("availability")).isEqualTo(1 - 10.0 / 60);
            assertThat(dnsco.getBoolean("met")).isTrue();
            assertThat(dnsco.getLong("attributedMillis")).isEqualTo(7 * MINUTE);

            JsonObject shop = agent.getJson("/api/v1/services/shop");
            assertThat(shop.getJsonArray("suppliers").getList()).containsExactly("cloudy", "dnsco");

            // The figures are refreshed once per metrics cycle, which may have begun before the samples came.
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().contains(
                    "vigil_supplier_attributed_downtime_seconds{service=\"shop\",supplier=\"cloudy\"} 480.0"));
            String metrics = agent.metrics();
            assertThat(metrics).contains(
                    "vigil_supplier_attributed_downtime_seconds{service=\"shop\",supplier=\"cloudy\"} 480.0",
                    "vigil_supplier_attributed_downtime_seconds{service=\"shop\",supplier=\"dnsco\"} 300.0",
                    "vigil_supplier_attributed_downtime_seconds{service=\"shop\",supplier=\"provider\"} 300.0",
                    "vigil_supplier_target_ratio{supplier=\"cloudy\"} 0.9995",
                    "vigil_supplier_availability_ratio{supplier=\"dnsco\"} 0.8333");
            // web names no supplier: all its downtime is the provider's, shown by vigil_sla_downtime_seconds.
            assertThat(metrics).doesNotContain("vigil_supplier_attributed_downtime_seconds{service=\"web\"");
            Promtool.Result promtool = Promtool.checkMetrics(metrics);
            assertThat(promtool.clean()).as("%s:\n%s", promtool.command(), promtool.output()).isTrue();
        }
    }

    @Test
    void theMonthlyReportHasASuppliersSectionInEveryFormat() throws IOException {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            JsonObject json = agent.getJson("/api/v1/reports/sla?period=2026-11&format=json").getJsonObject("suppliers");
            assertThat(json.getJsonObject("provider").getDouble("downtimeSeconds")).isEqualTo(1_500.0);
            assertThat(json.getJsonObject("provider").getJsonObject("attributedSeconds").getMap()).containsExactly(
                    Map.entry("cloudy", 480.0), Map.entry("dnsco", 420.0), Map.entry("provider", 600.0));
            assertThat(supplier(json, "cloudy").getBoolean("met")).isFalse();

            String html = text(agent, "/api/v1/reports/sla?period=2026-11&format=html");
            assertThat(html).contains("<h2>Suppliers</h2>", "<td>cloudy</td><td>cloud</td><td>99.95 %</td>",
                    "<td>dnsco</td><td>dns</td><td>80 %</td>");

            String csv = text(agent, "/api/v1/reports/sla?period=2026-11&format=csv&table=suppliers");
            assertThat(csv.lines()).containsExactly(
                    "customer,service,sla,downtime_seconds,attributed_to,kind,attributed_seconds",
                    ",api,standard,300.0,dnsco,dns,120.0",
                    ",api,standard,300.0,cloudy,cloud,0.0",
                    ",api,standard,300.0,provider,provider,180.0",
                    ",shop,standard,1080.0,cloudy,cloud,480.0",
                    ",shop,standard,1080.0,dnsco,dns,300.0",
                    ",shop,standard,1080.0,provider,provider,300.0",
                    ",web,standard,120.0,provider,provider,120.0");

            var pdf = agent.get("/api/v1/reports/sla?period=2026-11&format=pdf");
            try (PDDocument document = Loader.loadPDF(pdf.body())) {
                assertThat(new PDFTextStripper().getText(document)).contains("Suppliers", "Our downtime from it");
            }
        }
    }

    @Test
    void namesTheParameterThatIsWrongAndTheSupplierThatIsNotDeclared() {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            assertError(agent, "/api/v1/suppliers?period=2026-13", 400,
                    "period must be current, previous or a month in UTC like 2026-11 (was '2026-13')");
            assertError(agent, "/api/v1/suppliers?period=2026-12", 400,
                    "period must not be after the current month 2026-11 (was '2026-12')");
            assertError(agent, "/api/v1/suppliers/acme", 404, "no supplier acme (declared: cloudy, dnsco)");
            JsonObject previous = agent.getJson("/api/v1/suppliers?period=previous");
            assertThat(previous.getString("period")).isEqualTo("2026-10");
            assertThat(previous.getJsonObject("provider").getLong("downtimeMillis")).isZero();
            assertThat(supplier(previous, "cloudy").getValue("availability")).isNull();
            assertThat(supplier(previous, "cloudy").getValue("met")).isNull();
        }
    }

    private Collector start() {
        return Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir),
                InstantSource.fixed(NOW));
    }

    private static TestAgent feed(Collector collector) {
        TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
        agent.ship(records("cloud-probe", pattern(10, 20), 0, START, MINUTE));
        agent.ship(records("dns-probe", pattern(15, 25), 60, START, MINUTE));
        agent.ship(records("shop", pattern(12, 30), 120, START, MINUTE));
        String api = pattern(5, 8);
        api = api.substring(0, 16) + "FF" + api.substring(18);
        agent.ship(records("api", api, 180, START, MINUTE));
        agent.ship(records("web", pattern(40, 42), 240, START, MINUTE));
        return agent;
    }

    /** 60 samples, failing from {@code from} (inclusive) to {@code to} (exclusive). */
    private static String pattern(int from, int to) {
        return "S".repeat(from) + "F".repeat(to - from) + "S".repeat(60 - to);
    }

    private static Map<String, Long> parts(JsonObject all, String service) {
        return longs(service(all, service).getJsonObject("attributedMillis"));
    }

    /** The fields of {@code json} in order as longs: small numbers decode as integers. */
    private static Map<String, Long> longs(JsonObject json) {
        Map<String, Long> longs = new LinkedHashMap<>();
        json.forEach(entry -> longs.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
        return longs;
    }

    private static JsonObject service(JsonObject all, String name) {
        return all.getJsonArray("services").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("service").equals(name)).findFirst().orElseThrow();
    }

    private static JsonObject supplier(JsonObject all, String name) {
        return all.getJsonArray("suppliers").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow();
    }

    private static String text(TestAgent agent, String path) {
        var response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void assertError(TestAgent agent, String path, int status, String message) {
        var response = agent.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error")).as(path)
                .isEqualTo(message);
    }
}
