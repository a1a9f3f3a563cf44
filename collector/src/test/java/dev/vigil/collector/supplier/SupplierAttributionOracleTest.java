package dev.vigil.collector.supplier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.StateTimeline;
import dev.vigil.collector.sla.TimelineState;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attribution against a naive oracle: random outages of two suppliers' probes and three services, a
 * minute apart over an hour; the oracle looks at each minute on its own (states change only at sample
 * times), asks each timeline for its state there and gives the minute to the first supplier of the
 * service that is down, else to the provider.
 */
class SupplierAttributionOracleTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final long MINUTE = 60_000L;
    private static final long START = NOW.toEpochMilli() - 60 * MINUTE;
    private static final String YAML = """
            agents:
              - name: edge-1
                token: edge-token
            slas:
              standard:
                objectives:
                  - availability: 99.9%
            suppliers:
              cloudy: {kind: cloud, measured_by: [cloud-probe], sla: {availability: 99.9%}}
              dnsco: {kind: dns, measured_by: [dns-a, dns-b]}
            services:
              - {name: cloud-probe, checks: [{check: cloud-probe, agents: [edge-1]}]}
              - {name: dns-a, checks: [{check: dns-a, agents: [edge-1]}]}
              - {name: dns-b, checks: [{check: dns-b, agents: [edge-1]}]}
              - {name: shop, sla: standard, suppliers: [cloudy, dnsco], checks: [{check: shop, agents: [edge-1]}]}
              - {name: api, sla: standard, suppliers: [dnsco, cloudy], checks: [{check: api, agents: [edge-1]}]}
              - {name: web, sla: standard, checks: [{check: web, agents: [edge-1]}]}
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
    void attributesEveryMinuteOfDowntimeAsTheOracleDoes(long seed) {
        Catalogue catalogue = CollectorConfig.parse("collector.yaml", YAML, name -> null, dir).catalogue().catalogue();
        SlaEngine engine = new SlaEngine(InstantSource.fixed(NOW), Thresholds.DEFAULT, catalogue,
                key -> Optional.empty());
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));
        SplittableRandom random = new SplittableRandom(seed);
        long index = 0;
        for (String check : List.of("cloud-probe", "dns-a", "dns-b", "shop", "api", "web")) {
            boolean failing = false;
            for (int minute = 0; minute < 60; minute++) {
                // Runs of failures: a state that mostly persists, so that outages overlap in every way.
                if (random.nextInt(100) < 15) {
                    failing = !failing;
                }
                long at = START + minute * MINUTE;
                Sample sample = new Sample(check, at, 0, failing ? Outcome.TIMEOUT : Outcome.OK, -1, -1, -1, -1,
                        1_000_000, failing ? 0 : 200, failing ? "timed out" : "");
                board.apply("edge-1", sample, at + 1_000, index++);
            }
        }

        SupplierMonth month = SupplierAttribution.of(engine, YearMonth.of(2026, 11));

        long now = NOW.toEpochMilli();
        Map<String, Long> total = new LinkedHashMap<>();
        for (String service : List.of("shop", "api", "web")) {
            Map<String, Long> expected = new LinkedHashMap<>();
            List<String> suppliers = catalogue.service(service).orElseThrow().suppliers();
            suppliers.forEach(supplier -> expected.put(supplier, 0L));
            expected.put("provider", 0L);
            for (int minute = 0; minute < 60; minute++) {
                long at = START + minute * MINUTE + MINUTE / 2;
                if (!down(engine, service, at, now)) {
                    continue;
                }
                String party = suppliers.stream().filter(supplier -> catalogue.supplier(supplier).orElseThrow()
                        .measuredBy().stream().anyMatch(measuring -> down(engine, measuring, at, now)))
                        .findFirst().orElse("provider");
                expected.merge(party, MINUTE, Long::sum);
            }
            ServiceShare share = month.services().stream().filter(s -> s.service().equals(service)).findFirst()
                    .orElseThrow();
            assertThat(share.attributed()).as(service).containsExactlyEntriesOf(expected);
            assertThat(share.downtimeMillis()).as(service)
                    .isEqualTo(engine.result(service, share.month()).orElseThrow().downtimeMillis());
            expected.forEach((party, millis) -> total.merge(party, millis, Long::sum));
        }
        assertThat(month.attributed()).containsAllEntriesOf(total);
        assertThat(month.attributed().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(month.downtimeMillis()).isPositive();

        SupplierStanding dnsco = month.supplier("dnsco").orElseThrow();
        long dnscoDown = 0;
        for (int minute = 0; minute < 60; minute++) {
            long at = START + minute * MINUTE + MINUTE / 2;
            dnscoDown += down(engine, "dns-a", at, now) || down(engine, "dns-b", at, now) ? MINUTE : 0;
        }
        assertThat(dnsco.downtimeMillis()).isEqualTo(dnscoDown).isPositive();
        assertThat(dnsco.measuredMillis()).isEqualTo(60 * MINUTE);
    }

    private static boolean down(SlaEngine engine, String service, long at, long now) {
        StateTimeline timeline = engine.serviceTimeline(service).orElseThrow();
        return timeline.stateAt(at, now) == TimelineState.DOWN;
    }
}
