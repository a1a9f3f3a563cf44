package dev.vigil.collector.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine gives the same figures whether it saw every sample live, was restored from a snapshot
 * taken midway and then saw the rest, or replayed everything: the collector's restart paths.
 */
class SlaEngineRestartTest {
    private static final String YAML = """
            agents:
              - {name: edge-1, token: t1}
              - {name: edge-2, token: t2}
              - {name: edge-3, token: t3}
            calendars:
              office:
                zone: Europe/Berlin
                hours: {mon-fri: "08:00-18:00"}
                holidays: [2026-10-26]
            slas:
              gold:
                period: month
                calendar: office
                no_data: down
                objectives:
                  - availability: 99.9%
                  - latency: {threshold: 300ms, target: 99%}
                  - latency: {percentile: p95, threshold: 500ms}
              silver:
                period: week
                objectives:
                  - availability: 99.5%
            services:
              - name: shop
                sla: gold
                checks:
                  - {check: web, agents: [edge-1, edge-2, edge-3], quorum: 2}
                  - {check: dns, agents: [edge-1]}
              - name: api
                sla: silver
                checks:
                  - {check: api, agents: [edge-2]}
            maintenance:
              - id: patching
                services: [shop]
                every: {weekly: [tue], at: "09:00", for: 90m, zone: Europe/Berlin}
                created_by: ops
                reason: OS patching
                created_at: 2026-01-01T00:00:00Z
            """;
    private static final long START = Instant.parse("2026-10-20T00:00:00Z").toEpochMilli();
    private static final List<String> AGENTS = List.of("edge-1", "edge-2", "edge-3");
    private static final List<String> CHECKS = List.of("web", "dns", "api");

    private final long[] now = {START};
    private final InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
    private final Catalogue catalogue = CollectorConfig.parse("collector.yaml", YAML, name -> null, Path.of("/tmp"))
            .catalogue().catalogue();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aSnapshotTakenMidwayAndTheRestOfTheSamplesGiveTheSameFiguresAsSeeingThemAll(long seed) {
        List<Feed> feed = feed(seed);
        Instance live = new Instance();
        Instance restored = null;
        int half = feed.size() / 2;
        for (int i = 0; i < feed.size(); i++) {
            Feed item = feed.get(i);
            now[0] = item.received();
            live.apply(item, i);
            if (restored != null) {
                restored.apply(item, i);
            }
            if (i == half) {
                SnapshotBytes body = SnapshotCodec.capture(live.parts());
                restored = new Instance();
                SnapshotCodec.restore(body, restored.parts());
                assertThat(SnapshotCodec.capture(restored.parts()).toByteArray()).isEqualTo(body.toByteArray());
            }
        }
        Instance replayed = new Instance();
        for (int i = 0; i < feed.size(); i++) {
            replayed.apply(feed.get(i), i);
        }
        for (long at : List.of(now[0], now[0] + 3_600_000L, now[0] + 86_400_000L * 3)) {
            now[0] = at;
            Map<String, Object> expected = live.figures();
            assertThat(restored.figures()).isEqualTo(expected);
            assertThat(replayed.figures()).isEqualTo(expected);
        }
        SlaResult shop = live.engine.currentResult("shop").orElseThrow();
        // The scenario is only a test if it has outages and maintenance to get right.
        assertThat(shop.outages()).isNotEmpty();
        assertThat(shop.maintenanceMillis()).isPositive();
        assertThat(shop.availability().getAsDouble()).isLessThan(1.0);
    }

    @Test
    void aLocationTheCatalogueNamesButThatNeverReportedIsNoData() {
        Instance instance = new Instance();
        now[0] = START + 60_000;
        instance.apply(new Feed("edge-1", sample("dns", START, true, 10_000)), 0);
        ServiceStatus status = instance.engine.status("api").orElseThrow();
        assertThat(status.state()).hasToString("UNKNOWN");
        assertThat(instance.engine.currentResult("api").orElseThrow().noDataMillis()).isPositive();
    }

    private List<Feed> feed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Feed> feed = new ArrayList<>();
        long[] next = new long[AGENTS.size() * CHECKS.size()];
        java.util.Arrays.fill(next, START);
        boolean[] down = new boolean[AGENTS.size() * CHECKS.size()];
        long end = START + 16L * 86_400_000L;
        while (true) {
            int slot = 0;
            for (int i = 1; i < next.length; i++) {
                if (next[i] < next[slot]) {
                    slot = i;
                }
            }
            long scheduled = next[slot];
            if (scheduled >= end) {
                break;
            }
            // Silence now and then: the agent goes away for up to two hours.
            next[slot] += random.nextInt(100) == 0 ? random.nextLong(7_200_000L) : 60_000L;
            if (random.nextInt(400) == 0) {
                down[slot] = !down[slot];
            }
            boolean success = down[slot] ? random.nextInt(10) == 0 : random.nextInt(200) != 0;
            long latencyMicros = 1_000 + random.nextLong(600_000);
            String agent = AGENTS.get(slot / CHECKS.size());
            String check = CHECKS.get(slot % CHECKS.size());
            Feed item = new Feed(agent, sample(check, scheduled, success, latencyMicros));
            feed.add(item);
            if (random.nextInt(50) == 0) {
                feed.add(item);
            }
        }
        return feed;
    }

    private static Sample sample(String check, long scheduled, boolean success, long latencyMicros) {
        return new Sample(check, scheduled, 0, success ? Outcome.OK : Outcome.TIMEOUT, -1, -1, -1, -1,
                latencyMicros * 1_000, success ? 200 : 0, success ? "" : "timed out");
    }

    private record Feed(String agent, Sample sample) {
        long received() {
            return sample.scheduledEpochMillis() + 2_000;
        }
    }

    private final class Instance {
        final SlaEngine engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
        final CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine));

        void apply(Feed item, long index) {
            board.apply(item.agent(), item.sample(), item.received(), index);
        }

        List<dev.vigil.collector.snapshot.SnapshotPart> parts() {
            return List.of(board, engine);
        }

        Map<String, Object> figures() {
            Map<String, Object> figures = new java.util.TreeMap<>();
            for (String service : engine.serviceNames()) {
                figures.put(service + " status", engine.status(service));
                figures.put(service + " current", engine.currentResult(service));
                engine.currentPeriod(service).ifPresent(period -> figures.put(service + " previous",
                        engine.result(service, engine.slaOf(service).orElseThrow().period().previous(period))));
                figures.put(service + " custom", engine.result(service, START + 3_600_000L, now[0] - 1_000));
                figures.put(service + " burn", engine.burnRates(service));
            }
            for (var key : engine.checkKeys()) {
                for (TrailingWindow window : TrailingWindow.values()) {
                    figures.put(key + " " + window, engine.checkFigures(key, window));
                }
            }
            return figures;
        }
    }
}
