package dev.vigil.collector.incident.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.state.CheckKey;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's ordering, cancellation, dead letters and durability, against sinks scripted to answer
 * what real tools answer (and to misbehave as no real one can: throwing, or a failing log).
 */
class OutboxTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    private static final Backoff SLOW = new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(60));
    private static final Incident OPEN = incident("service/web@1709287200000", 1);

    @TempDir
    Path dir;
    Vertx vertx;
    Context context;
    OutboxLog log;
    Outbox outbox;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stopVertx() throws Exception {
        closeOutbox();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void retriesADeliveryWhoseSinkThrewInsteadOfLeavingItInFlightForever() throws Exception {
        ScriptedSink sink = new ScriptedSink("ops");
        sink.throwing.set(1);
        open(FAST, sink);

        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.start();
        });

        awaitState(0, DeliveryState.DELIVERED);
        DeliveryStatus status = onLoop(() -> outbox.deliveries(OPEN.key())).get(0);
        assertThat(status.attempts()).isEqualTo(2);
        assertThat(status.lastError()).hasValueSatisfying(error -> assertThat(error).startsWith("sink failed: "));
        assertThat(sink.sent).containsExactly(OPEN.key() + ":opened");
    }

    @Test
    void keepsADeliveryPendingAndTriesAgainWhileTheOutboxLogCannotRecordIt() throws Exception {
        ScriptedSink sink = new ScriptedSink("ops");
        open(FAST, sink);
        // A closed log refuses every write, as a full or broken disk would.
        onLoop(() -> log.close());

        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.start();
        });

        await().atMost(DEADLINE).until(() -> sink.calls.get() >= 3);
        assertThat(onLoop(() -> outbox.deliveries(OPEN.key()))).extracting(DeliveryStatus::state)
                .containsExactly(DeliveryState.PENDING);
        assertThat(sink.sent).containsOnly(OPEN.key() + ":opened");
    }

    @Test
    void aResolutionCancelsAnOpeningWaitingForItsRetrySoNoTriggerFollowsTheResolve() throws Exception {
        ScriptedSink sink = new ScriptedSink("pd");
        sink.answers.add(new SendResult.Retry("HTTP 503", Optional.empty()));
        open(SLOW, sink);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });
        await().atMost(DEADLINE).until(() -> sink.calls.get() == 1);
        awaitLastError(0);

        onLoop(() -> outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up"))));

        awaitState(1, DeliveryState.DELIVERED);
        List<DeliveryStatus> deliveries = onLoop(() -> outbox.deliveries(OPEN.key()));
        assertThat(deliveries.get(0).state()).isEqualTo(DeliveryState.CANCELLED);
        assertThat(deliveries.get(0).lastError()).hasValueSatisfying(e -> assertThat(e).contains("resolved before"));
        assertThat(sink.sent).containsExactly(OPEN.key() + ":opened", OPEN.key() + ":resolved");
        assertThat(sink.delivered).containsExactly(OPEN.key() + ":resolved");
    }

    @Test
    void aResolutionWaitsForTheOpeningInFlightAndIsSentAfterIt() throws Exception {
        ScriptedSink sink = new ScriptedSink("pd");
        Promise<SendResult> slowOpening = Promise.promise();
        sink.pending.add(slowOpening);
        open(SLOW, sink);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up")));
        });
        await().atMost(DEADLINE).until(() -> sink.calls.get() == 1);
        assertThat(sink.sent).containsExactly(OPEN.key() + ":opened");

        onLoop(() -> slowOpening.complete(new SendResult.Delivered(202)));

        awaitState(1, DeliveryState.DELIVERED);
        assertThat(sink.delivered).containsExactly(OPEN.key() + ":opened", OPEN.key() + ":resolved");
    }

    @Test
    void anOpeningRefusedForGoodFailsItsResolutionUnsentAndBothAreDeadLetters() throws Exception {
        ScriptedSink sink = new ScriptedSink("jira");
        sink.answers.add(new SendResult.Rejected("HTTP 400: project is required"));
        open(FAST, sink);
        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up")));
            outbox.start();
        });

        awaitState(1, DeliveryState.FAILED);
        assertThat(sink.sent).containsExactly(OPEN.key() + ":opened");
        assertThat(onLoop(() -> outbox.deadLetters())).extracting(DeliveryStatus::eventId)
                .containsExactly(OPEN.key() + ":opened", OPEN.key() + ":resolved");
    }

    @Test
    void goneDisablesTheSinkAndDeadLettersEverythingItStillHad() throws Exception {
        ScriptedSink sink = new ScriptedSink("chat");
        sink.answers.add(new SendResult.Gone("HTTP 410: channel_is_archived"));
        open(FAST, sink);
        Incident other = incident("service/api@1709287200000", 2);
        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, other));
            outbox.start();
        });

        await().atMost(DEADLINE).until(() -> onLoop(() -> outbox.deadLetters()).size() == 2);
        assertThat(sink.calls.get()).isEqualTo(1);
        assertThat(onLoop(() -> outbox.disabledReason("chat"))).contains("HTTP 410: channel_is_archived");
        assertThat(onLoop(() -> outbox.pending("chat"))).isZero();
    }

    @Test
    void aSinkReceivesOnlyTheIncidentsItsRouteAccepts() throws Exception {
        ScriptedSink all = new ScriptedSink("all");
        ScriptedSink urgent = new ScriptedSink("urgent");
        Incident minor = incident("service/blog@1709287200000", 3);
        log = onLoop(() -> OutboxLog.open(dir.resolve("outbox")));
        outbox = onLoop(() -> Outbox.open(vertx, List.of(new Outbox.Route(all, i -> true),
                new Outbox.Route(urgent, i -> i.priority().atLeast(Priority.P2))), log, -1, FAST,
                new PrometheusRegistry()));
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, withPriority(minor, Priority.P4)));
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });

        await().atMost(DEADLINE).until(() -> all.delivered.size() == 2 && urgent.delivered.size() == 1);
        assertThat(urgent.delivered).containsExactly(OPEN.key() + ":opened");
    }

    @Test
    void afterARestartSendsOnlyWhatWasNotSettledAndNothingToASinkAddedLater() throws Exception {
        ScriptedSink first = new ScriptedSink("ops");
        open(FAST, first);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });
        awaitState(0, DeliveryState.DELIVERED);
        closeOutbox();

        ScriptedSink again = new ScriptedSink("ops");
        ScriptedSink added = new ScriptedSink("added");
        log = onLoop(() -> OutboxLog.open(dir.resolve("outbox")));
        outbox = onLoop(() -> Outbox.open(vertx, List.of(new Outbox.Route(again, i -> true),
                new Outbox.Route(added, i -> true)), log, 5, FAST, new PrometheusRegistry()));
        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up")));
            outbox.start();
        });

        await().atMost(DEADLINE).until(() -> again.delivered.size() == 1);
        assertThat(again.sent).containsExactly(OPEN.key() + ":resolved");
        assertThat(added.calls.get()).as("opened (journal index 1) before the sink was added (after 5)").isZero();
    }

    @Test
    void resendsAnOpeningWhileTheIncidentIsOpenForSinksThatExpireAlerts() throws Exception {
        ScriptedSink sink = new ScriptedSink("am");
        sink.resend = Optional.of(Duration.ofMillis(50));
        open(FAST, sink);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });
        await().atMost(DEADLINE).until(() -> sink.sent.size() >= 3);
        assertThat(sink.sent).containsOnly(OPEN.key() + ":opened");

        onLoop(() -> outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up"))));
        await().atMost(DEADLINE).until(() -> sink.delivered.contains(OPEN.key() + ":resolved"));
        int afterResolve = sink.calls.get();
        // A resend timer that survived the resolution would keep calling; give it several periods to show.
        await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> sink.calls.get() == afterResolve);
    }

    @Test
    void resumesTheResendsOfAnOpeningDeliveredBeforeARestart() throws Exception {
        ScriptedSink first = new ScriptedSink("am");
        open(FAST, first);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });
        awaitState(0, DeliveryState.DELIVERED);
        closeOutbox();

        ScriptedSink again = new ScriptedSink("am");
        again.resend = Optional.of(Duration.ofMillis(50));
        log = onLoop(() -> OutboxLog.open(dir.resolve("outbox")));
        outbox = onLoop(() -> Outbox.open(vertx, List.of(new Outbox.Route(again, i -> true)), log, -1, FAST,
                new PrometheusRegistry()));
        onLoop(() -> {
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
            outbox.start();
        });

        await().atMost(DEADLINE).until(() -> again.sent.size() >= 2);
        assertThat(again.sent).containsOnly(OPEN.key() + ":opened");
    }

    @Test
    void aResolutionWaitsForAResendOnTheWireSoFiringNeverFollowsResolved() throws Exception {
        ScriptedSink sink = new ScriptedSink("am");
        sink.resend = Optional.of(Duration.ofMillis(30));
        Promise<SendResult> slowResend = Promise.promise();
        open(FAST, sink);
        onLoop(() -> {
            outbox.start();
            outbox.enqueue(IncidentEvent.of(IncidentEventType.OPENED, OPEN));
        });
        awaitState(0, DeliveryState.DELIVERED);
        sink.pending.add(slowResend);
        await().atMost(DEADLINE).until(() -> sink.pending.isEmpty());

        onLoop(() -> outbox.enqueue(IncidentEvent.of(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L, "up"))));
        assertThat(onLoop(() -> outbox.deliveries(OPEN.key())).get(1).attempts()).isZero();
        onLoop(() -> slowResend.complete(new SendResult.Delivered(200)));

        awaitState(1, DeliveryState.DELIVERED);
        assertThat(sink.sent.get(sink.sent.size() - 1)).isEqualTo(OPEN.key() + ":resolved");
    }

    private static Incident incident(String key, long journalIndex) {
        return new Incident(key, IncidentKind.OUTAGE, "web is down", Optional.of("web"),
                List.of(new CheckKey("edge-1", "web")), IncidentStatus.OPEN, Level.HIGH, Level.HIGH, Priority.P1,
                1_709_287_200_000L, 1_709_287_215_000L, OptionalLong.empty(), Optional.empty(), Optional.empty(),
                "TIMEOUT", Map.of(), 1, List.of(new IncidentNote(1_709_287_215_000L, "opened")), journalIndex);
    }

    private static Incident withPriority(Incident incident, Priority priority) {
        return new Incident(incident.key(), incident.kind(), incident.title(), incident.service(), incident.checks(),
                incident.status(), Level.LOW, Level.MEDIUM, priority, incident.startedEpochMillis(),
                incident.detectedEpochMillis(), incident.resolvedEpochMillis(), incident.acknowledgement(),
                incident.suppression(), incident.detail(), incident.labels(), incident.outages(), incident.timeline(),
                incident.openedJournalIndex());
    }

    private void open(Backoff backoff, ScriptedSink sink) throws Exception {
        log = onLoop(() -> OutboxLog.open(dir.resolve("outbox")));
        outbox = onLoop(() -> Outbox.open(vertx, List.of(new Outbox.Route(sink, i -> true)), log, -1, backoff,
                new PrometheusRegistry()));
    }

    private void closeOutbox() throws Exception {
        if (outbox != null) {
            onLoop(() -> outbox.close());
            outbox = null;
        }
    }

    private void awaitState(int index, DeliveryState state) {
        await().atMost(DEADLINE).until(() -> {
            List<DeliveryStatus> deliveries = onLoop(() -> outbox.deliveries(OPEN.key()));
            return deliveries.size() > index && deliveries.get(index).state() == state;
        });
    }

    private void awaitLastError(int index) {
        await().atMost(DEADLINE).until(() -> onLoop(() -> outbox.deliveries(OPEN.key())).get(index).lastError()
                .isPresent());
    }

    private void onLoop(Runnable work) throws Exception {
        onLoop(() -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work} on the outbox's event loop, where it must be used, and returns its result. */
    private <T> T onLoop(Callable<T> work) throws Exception {
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

    /**
     * A sink that answers from a script: queued results, then queued promises (answered by the test),
     * then Delivered; it may throw first.
     */
    private static final class ScriptedSink implements IncidentSink {
        private final String name;
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger throwing = new AtomicInteger();
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private final List<String> delivered = new CopyOnWriteArrayList<>();
        private final Deque<SendResult> answers = new ArrayDeque<>();
        private final Deque<Promise<SendResult>> pending = new ArrayDeque<>();
        private volatile Optional<Duration> resend = Optional.empty();

        private ScriptedSink(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Future<SendResult> send(IncidentEvent event) {
            calls.incrementAndGet();
            if (throwing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("a sink bug");
            }
            sent.add(event.eventId());
            Future<SendResult> answer;
            if (!answers.isEmpty()) {
                answer = Future.succeededFuture(answers.poll());
            } else if (!pending.isEmpty()) {
                answer = pending.poll().future();
            } else {
                answer = Future.succeededFuture(new SendResult.Delivered(200));
            }
            return answer.onSuccess(result -> {
                if (result instanceof SendResult.Delivered) {
                    delivered.add(event.eventId());
                }
            });
        }

        @Override
        public Optional<Duration> resendWhileOpen() {
            return resend;
        }
    }
}
