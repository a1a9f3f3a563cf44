package dev.vigil.collector.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.state.CheckKey;
import dev.vigil.protocol.Outcome;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against sinks that misbehave in ways a real webhook cannot make it: throwing, or a failing log. */
class OutboxTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    private static final Incident OPEN = Incident.open(new CheckKey("edge-1", "web"), 1_709_287_200_000L,
            1_709_287_215_000L, Outcome.TIMEOUT, "timed out", 0);

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
        if (outbox != null) {
            onLoop(() -> {
                outbox.close();
                return null;
            });
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void retriesADeliveryWhoseSinkThrewInsteadOfLeavingItInFlightForever() throws Exception {
        FakeSink sink = new FakeSink(1);
        open(sink);

        onLoop(() -> {
            outbox.enqueue(new IncidentEvent(IncidentEventType.OPENED, OPEN));
            outbox.start();
            return null;
        });

        await().atMost(DEADLINE).until(() -> onLoop(() -> outbox.deliveries(OPEN.key())).get(0).state(),
                state -> state == DeliveryState.DELIVERED);
        DeliveryStatus status = onLoop(() -> outbox.deliveries(OPEN.key())).get(0);
        assertThat(status.attempts()).isEqualTo(2);
        assertThat(status.lastError()).hasValueSatisfying(error -> assertThat(error).startsWith("sink failed: "));
        assertThat(sink.sent).containsExactly(OPEN.key() + ":opened");
    }

    @Test
    void keepsADeliveryPendingAndTriesAgainWhileTheOutboxLogCannotRecordIt() throws Exception {
        FakeSink sink = new FakeSink(0);
        open(sink);
        // A closed log refuses every write, as a full or broken disk would.
        onLoop(() -> {
            log.close();
            return null;
        });

        onLoop(() -> {
            outbox.enqueue(new IncidentEvent(IncidentEventType.OPENED, OPEN));
            outbox.enqueue(new IncidentEvent(IncidentEventType.RESOLVED, OPEN.resolve(1_709_287_260_000L)));
            outbox.start();
            return null;
        });

        await().atMost(DEADLINE).until(() -> sink.calls.get() >= 3);
        assertThat(onLoop(() -> outbox.deliveries(OPEN.key()))).extracting(DeliveryStatus::state)
                .containsExactly(DeliveryState.PENDING, DeliveryState.PENDING);
        // Resolved waits for opened to be recorded as delivered, as after a crash.
        assertThat(sink.sent).containsOnly(OPEN.key() + ":opened");
    }

    private void open(FakeSink sink) throws Exception {
        outbox = onLoop(() -> {
            log = OutboxLog.open(dir.resolve("outbox"));
            return Outbox.open(vertx, WebClient.create(vertx), List.of(sink), log, -1, FAST, new PrometheusRegistry());
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

    /** Accepts every event, after throwing from {@code send} the first {@code throwing} times. */
    private static final class FakeSink implements IncidentSink {
        private final AtomicInteger calls = new AtomicInteger();
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private final int throwing;

        private FakeSink(int throwing) {
            this.throwing = throwing;
        }

        @Override
        public String name() {
            return "ops";
        }

        @Override
        public Future<SendResult> send(IncidentEvent event) {
            if (calls.incrementAndGet() <= throwing) {
                throw new IllegalStateException("a sink bug");
            }
            sent.add(event.eventId());
            return Future.succeededFuture(new SendResult.Delivered(200));
        }
    }
}
