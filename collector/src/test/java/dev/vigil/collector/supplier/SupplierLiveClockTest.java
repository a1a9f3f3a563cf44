package dev.vigil.collector.supplier;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supplier attribution with a clock that moves on every read, while a provider service and the supplier it
 * names are DOWN up to now: the SLA engine reads the clock again for each service, and the split must still
 * be counted to the same instant as the total it splits.
 */
class SupplierLiveClockTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final long MINUTE = 60_000L;
    private static final long START = NOW.toEpochMilli() - 60 * MINUTE;
    private static final Pattern SHOP_SERIES = Pattern.compile(
            "vigil_supplier_attributed_downtime_seconds\\{service=\"shop\",supplier=\"(cloudy|provider)\"} (\\S+)");
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
                measured_by: [cloud-probe]
                sla: {availability: 99.95%}
            services:
              - name: cloud-probe
                checks:
                  - {check: cloud-probe, agents: [edge-1]}
              - name: shop
                sla: standard
                suppliers: [cloudy]
                checks:
                  - {check: shop, agents: [edge-1]}
            """;

    @TempDir
    Path dir;

    @Test
    void theSplitAddsUpWhileTheClockMovesOnEveryReadAndAServiceIsDown() {
        AtomicLong millis = new AtomicLong(NOW.toEpochMilli());
        // One millisecond later on every read: an SLA counted after the split's slices holds more downtime.
        InstantSource ticking = () -> Instant.ofEpochMilli(millis.getAndIncrement());
        try (Collector collector = Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir),
                ticking)) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
            // The supplier fails from minute 40 and shop from minute 30, both up to the last sample: DOWN now.
            agent.ship(records("cloud-probe", "S".repeat(40) + "F".repeat(20), 0, START, MINUTE));
            agent.ship(records("shop", "S".repeat(30) + "F".repeat(30), 60, START, MINUTE));

            for (int round = 0; round < 3; round++) {
                JsonObject all = agent.getJson("/api/v1/suppliers?period=2026-11");
                JsonObject shop = all.getJsonArray("services").getJsonObject(0);
                assertThat(shop.getString("service")).isEqualTo("shop");
                JsonObject parts = shop.getJsonObject("attributedMillis");
                long cloudy = parts.getLong("cloudy");
                long provider = parts.getLong("provider");
                // Shop is DOWN from minute 30 and the supplier from minute 40, both until the same now.
                assertThat(cloudy + provider).isEqualTo(shop.getLong("downtimeMillis"));
                assertThat(provider).isEqualTo(10 * MINUTE);
                assertThat(cloudy).isGreaterThanOrEqualTo(20 * MINUTE);
                assertThat(all.getJsonObject("provider").getLong("downtimeMillis")).isEqualTo(cloudy + provider);
                assertThat(agent.getJson("/api/v1/suppliers/cloudy").getJsonObject("supplier")
                        .getLong("attributedMillis")).isGreaterThanOrEqualTo(cloudy);
            }

            JsonObject report = agent.getJson("/api/v1/reports/sla?period=2026-11&format=json")
                    .getJsonObject("suppliers");
            JsonObject shopSection = report.getJsonArray("services").getJsonObject(0);
            JsonObject seconds = shopSection.getJsonObject("attributedSeconds");
            assertThat(seconds.getDouble("cloudy") + seconds.getDouble("provider"))
                    .isCloseTo(shopSection.getDouble("downtimeSeconds"), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(seconds.getDouble("provider")).isEqualTo(600.0);

            // The metrics refresh keeps running: the supplier's share grows from one cycle to the next.
            double first = await().atMost(Duration.ofSeconds(30)).until(() -> shopSeries(agent.metrics(), "cloudy"),
                    value -> value >= 1_200.0);
            await().atMost(Duration.ofSeconds(30)).until(() -> shopSeries(agent.metrics(), "cloudy"),
                    value -> value > first);
            assertThat(shopSeries(agent.metrics(), "provider")).isEqualTo(600.0);
        }
    }

    /** The value of shop's series for {@code supplier}, -1 while the metrics hold none. */
    private static double shopSeries(String metrics, String supplier) {
        Matcher matcher = SHOP_SERIES.matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).equals(supplier)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return -1;
    }
}
