package dev.vigil.collector.incident;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.delivery.Backoff;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real board, SLA engine, incident book, incident log and outbox on one Vert.x context, fed with samples
 * one minute apart on an injected clock; the outbox's one sink records what it is sent. Each sample is
 * received two seconds after its scheduled time.
 */
final class BookRig implements AutoCloseable {
    static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final long RECEIVE_DELAY = 2_000;

    final Vertx vertx;
    final Context context;
    final Path dir;
    final Catalogue catalogue;
    final IncidentPolicy policy;
    final TestClock clock = new TestClock(START);
    final RecordingSink sink = new RecordingSink();
    final List<Fed> fed = new ArrayList<>();
    SlaEngine engine;
    CheckBoard board;
    IncidentBook book;
    IncidentLog log;
    Outbox outbox;
    int outboxes;
    long journalIndex;
    long minute;

    /** What was applied: replayed as is by {@link #restart}. */
    record Fed(String agent, Sample sample, long received, long journalIndex) {
    }

    BookRig(Vertx vertx, Path dir, String yaml, IncidentPolicy policy) throws Exception {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.dir = dir;
        this.catalogue = CollectorConfig.parse("collector.yaml", yaml, name -> null, dir).catalogue().catalogue();
        this.policy = policy;
        onLoop(() -> {
            log = IncidentLog.open(dir.resolve("incidents"));
            outbox = newOutbox();
            build();
        });
    }

    private Outbox newOutbox() {
        return Outbox.open(vertx, List.of(new Outbox.Route(sink, incident -> true)),
                dir.resolve("outbox-" + outboxes++), -1, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                new PrometheusRegistry());
    }

    private void build() {
        engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
        book = new IncidentBook(engine, outbox, policy, clock, () -> journalIndex - 1, log);
        board = new CheckBoard(Thresholds.DEFAULT, List.of(engine, book));
    }

    /** Starts the outbox: what was enqueued is sent, and what comes later as it comes. */
    BookRig started() throws Exception {
        onLoop(() -> outbox.start());
        return this;
    }

    /**
     * Plays samples minute by minute from the current minute on, one line per location:
     * {@code "edge-1/web SSFF"} (S success, F failure, '.' no sample); the lines' locations report in
     * line order within each minute. The current minute then moves past the longest line.
     */
    void play(String... lines) throws Exception {
        int length = 0;
        for (String line : lines) {
            length = Math.max(length, line.substring(line.indexOf(' ') + 1).length());
        }
        int steps = length;
        onLoop(() -> {
            for (int i = 0; i < steps; i++) {
                for (String line : lines) {
                    String pattern = line.substring(line.indexOf(' ') + 1);
                    if (i >= pattern.length() || pattern.charAt(i) == '.') {
                        continue;
                    }
                    String location = line.substring(0, line.indexOf(' '));
                    int slash = location.indexOf('/');
                    apply(location.substring(0, slash), sample(location.substring(slash + 1), at(minute + i),
                            pattern.charAt(i) == 'S'));
                }
            }
        });
        minute += steps;
    }

    private void apply(String agent, Sample sample) {
        long received = sample.scheduledEpochMillis() + RECEIVE_DELAY;
        clock.set(received);
        fed.add(new Fed(agent, sample, received, journalIndex));
        board.apply(agent, sample, received, journalIndex++);
    }

    /** Sets the clock to {@code minutes} after the start (plus the receive delay) and runs a tick. */
    void tickAt(long minutes) throws Exception {
        clock.set(at(minutes) + RECEIVE_DELAY);
        onLoop(() -> book.tick());
    }

    /** The scheduled time of minute {@code minutes}. */
    static long at(long minutes) {
        return START + minutes * MINUTE;
    }

    static Sample sample(String check, long scheduled, boolean success) {
        return new Sample(check, scheduled, 0, success ? Outcome.OK : Outcome.TIMEOUT, -1, -1, -1, -1, 5_000_000,
                success ? 200 : 0, success ? "" : "timed out");
    }

    Incident incident(String key) throws Exception {
        return onLoop(() -> book.incident(key)).orElseThrow(() -> new AssertionError("no incident " + key));
    }

    List<Incident> incidents() throws Exception {
        return onLoop(() -> book.incidents());
    }

    /**
     * Builds a new engine, board and book over the same incident log (closed and opened again, as a
     * restarted collector does) and a fresh or the same outbox directory, replays every sample fed so far
     * and applies the log, as the collector does after a restart without a snapshot. The outbox is not
     * started.
     */
    void restart(boolean freshOutbox) throws Exception {
        onLoop(() -> {
            outbox.close();
            log.close();
            log = IncidentLog.open(dir.resolve("incidents"));
            if (!freshOutbox) {
                outboxes--;
            }
            outbox = newOutbox();
            build();
            for (Fed item : fed) {
                board.apply(item.agent(), item.sample(), item.received(), item.journalIndex());
            }
            book.applyLog();
        });
    }

    void onLoop(Runnable work) throws Exception {
        onLoop(() -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work} on the rig's event loop, where the book and the outbox must be used. */
    <T> T onLoop(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        onLoop(() -> {
            outbox.close();
            log.close();
        });
    }

    /** A sink that accepts every event and records it. */
    static final class RecordingSink implements IncidentSink {
        final List<String> eventIds = new CopyOnWriteArrayList<>();
        final List<JsonObject> incidents = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public Future<SendResult> send(IncidentEvent event) {
            eventIds.add(event.eventId());
            incidents.add(event.incident().toJson(OptionalLong.empty()));
            return Future.succeededFuture(new SendResult.Delivered(200));
        }

        /** The incident JSON sent with the event {@code eventId}. */
        JsonObject sent(String eventId) {
            int at = eventIds.indexOf(eventId);
            if (at < 0) {
                throw new AssertionError("never sent " + eventId + "; sent " + eventIds);
            }
            return incidents.get(at);
        }
    }
}
