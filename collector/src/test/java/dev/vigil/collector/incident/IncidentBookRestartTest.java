package dev.vigil.collector.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.delivery.Backoff;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The book opens, mutes, escalates and resolves the same incidents, with the same events, whether it saw
 * the samples live, replayed them all after a restart, or was restored from a snapshot taken midway and
 * then saw the rest: the collector's three paths to the same state.
 */
class IncidentBookRestartTest {
    private static final List<String> LOCATIONS = List.of("edge-1/shop", "edge-2/shop", "edge-3/shop", "edge-1/db",
            "edge-1/app");

    static Vertx vertx;

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(IncidentBookTest.Rig.START);
    Catalogue catalogue;
    Context context;
    int instances;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void liveReplayedAndRestoredFromASnapshotTheBookHoldsTheSameIncidentsAndSendsTheSameEvents(long seed)
            throws Exception {
        catalogue = CollectorConfig.parse("collector.yaml", IncidentBookTest.YAML, name -> null, dir).catalogue()
                .catalogue();
        context = vertx.getOrCreateContext();
        List<IncidentBookTest.Rig.Fed> feed = feed(seed);
        int half = feed.size() / 2;

        Instance live = instance();
        Instance restored = null;
        for (int i = 0; i < feed.size(); i++) {
            live.apply(feed.get(i));
            if (restored != null) {
                restored.apply(feed.get(i));
            }
            if (i == half) {
                SnapshotBytes body = onLoop(() -> SnapshotCodec.capture(live.parts()));
                restored = instance();
                Instance into = restored;
                onLoop(() -> {
                    SnapshotCodec.restore(body, into.parts());
                    into.book.announceRestored();
                    into.outbox.start();
                    return null;
                });
                assertThat(onLoop(() -> SnapshotCodec.capture(into.parts())).toByteArray()).isEqualTo(body.toByteArray());
            }
        }
        Instance replayed = instance();
        for (IncidentBookTest.Rig.Fed item : feed) {
            replayed.apply(item);
        }

        List<JsonObject> expected = live.incidents();
        // The scenario is only a test if it opened, muted and escalated incidents.
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(expected).anyMatch(json -> json.getJsonArray("timeline").encode().contains("muted: dependency"));
        assertThat(expected).anyMatch(json -> json.getJsonArray("timeline").encode().contains("escalated"));
        assertThat(replayed.incidents()).isEqualTo(expected);
        assertThat(restored.incidents()).isEqualTo(expected);
        assertThat(replayed.sink.eventIds).isEqualTo(live.sink.eventIds);
        // A restored book announces what it had sent incident by incident, not in the order it was sent.
        assertThat(perIncident(restored.sink.eventIds)).isEqualTo(perIncident(live.sink.eventIds));
        for (Instance instance : List.of(live, restored, replayed)) {
            onLoop(() -> {
                instance.outbox.close();
                instance.log.close();
                return null;
            });
        }
    }

    /**
     * Samples every minute for two days at each location, each going down and up now and then, failing
     * mostly while down and succeeding mostly while up; received two seconds after their scheduled time.
     */
    private static List<IncidentBookTest.Rig.Fed> feed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] down = new boolean[LOCATIONS.size()];
        List<IncidentBookTest.Rig.Fed> feed = new ArrayList<>();
        long index = 0;
        for (int minute = 0; minute < 2 * 24 * 60; minute++) {
            for (int slot = 0; slot < LOCATIONS.size(); slot++) {
                if (random.nextInt(90) == 0) {
                    down[slot] = !down[slot];
                }
                boolean success = down[slot] ? random.nextInt(8) == 0 : random.nextInt(100) != 0;
                String location = LOCATIONS.get(slot);
                int slash = location.indexOf('/');
                long scheduled = IncidentBookTest.Rig.at(minute);
                feed.add(new IncidentBookTest.Rig.Fed(location.substring(0, slash),
                        IncidentBookTest.Rig.sample(location.substring(slash + 1), scheduled, success),
                        scheduled + IncidentBookTest.Rig.RECEIVE_DELAY, index++));
            }
        }
        return feed;
    }

    private static Map<String, List<String>> perIncident(List<String> eventIds) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String id : eventIds) {
            String key = id.substring(0, id.indexOf(':', id.indexOf('@')));
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
        }
        return new java.util.TreeMap<>(byKey);
    }

    private Instance instance() throws Exception {
        int n = instances++;
        return onLoop(() -> new Instance(dir.resolve("instance-" + n)));
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    /** One collector's board, engine, book, incident log and outbox, with a sink of its own. */
    private final class Instance {
        final IncidentBookTest.Rig.RecordingSink sink = new IncidentBookTest.Rig.RecordingSink();
        final IncidentLog log;
        final Outbox outbox;
        final SlaEngine engine;
        final CheckBoard board;
        final IncidentBook book;
        long lastIndex = -1;

        Instance(Path home) {
            log = IncidentLog.open(home.resolve("incidents"));
            outbox = Outbox.open(vertx, List.of(new Outbox.Route(sink, incident -> true)), home.resolve("outbox"), -1,
                    Backoff.DEFAULT, new PrometheusRegistry());
            engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
            book = new IncidentBook(engine, outbox, IncidentBookTest.POLICY, clock, () -> lastIndex, log);
            board = new CheckBoard(Thresholds.DEFAULT, List.of(engine, book));
        }

        List<SnapshotPart> parts() {
            return List.of(board, engine, book);
        }

        void apply(IncidentBookTest.Rig.Fed item) throws Exception {
            onLoop(() -> {
                if (lastIndex < 0 && item.journalIndex() == 0) {
                    outbox.start();
                }
                clock.set(item.received());
                board.apply(item.agent(), item.sample(), item.received(), item.journalIndex());
                lastIndex = item.journalIndex();
                return null;
            });
        }

        List<JsonObject> incidents() throws Exception {
            return onLoop(() -> book.incidents().stream().map(i -> i.toJson(OptionalLong.empty())).toList());
        }
    }
}
