package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.config.WebhookConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted outbox: delivers every incident event to every sink, at least once and in order per
 * incident, and remembers durably what it delivered. The one place retries, backoff and ordering
 * live, whatever the event type or sink.
 *
 * <p>An event is delivered to a sink until the sink accepts it (2xx) or refuses it for good (a 4xx
 * other than 408, 425 and 429), retrying connect errors, timeouts, 5xx, 408, 425 and 429 with
 * {@link Backoff}. Settled deliveries are appended to the {@link OutboxLog}, and only then change
 * state in memory; when the journal is replayed after a restart, the same events are enqueued again and those already settled are not sent again. A sink never gets
 * "resolved" before it accepted "opened" for the same incident; if "opened" failed for good,
 * "resolved" fails with it, unsent.
 *
 * <p>Nothing is sent before {@link #start()}, which the collector calls when the replay has finished.
 * Not thread-safe: used on the collector verticle's event loop, where its timers and HTTP responses
 * also run.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String OPENED_FAILED = "not sent: the opened event was not delivered";

    private final Vertx vertx;
    private final WebClient client;
    private final OutboxLog log;
    private final List<IncidentSink> sinks;
    private final Map<String, Long> subscribedAfter = new LinkedHashMap<>();
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Counter deliveries;
    private final Map<String, List<Delivery>> byIncident = new LinkedHashMap<>();
    private boolean started;
    private boolean closed;

    private Outbox(Vertx vertx, WebClient client, OutboxLog log, List<IncidentSink> sinks, Backoff backoff,
            RandomGenerator random, PrometheusRegistry registry) {
        this.vertx = vertx;
        this.client = client;
        this.log = log;
        this.sinks = List.copyOf(sinks);
        this.backoff = backoff;
        this.random = random;
        this.deliveries = Counter.builder().name("vigil_webhook_deliveries_total")
                .help("Webhook deliveries settled as delivered or failed (dead-lettered), and attempts that "
                        + "failed and will be retried")
                .labelNames("webhook", "result").register(registry);
        for (IncidentSink sink : this.sinks) {
            for (String result : List.of("delivered", "retried", "failed")) {
                deliveries.initLabelValues(sink.name(), result);
            }
        }
    }

    /**
     * Opens the outbox whose log is in {@code directory}, on the calling Vert.x context.
     *
     * @param webhooks         the configured webhooks
     * @param journalLastIndex the collector journal's last index before this start, or -1 when empty: a
     *                         webhook configured for the first time receives only incidents opened after it
     * @param clock            stamps {@code webhook-timestamp}
     * @param registry         where {@code vigil_webhook_deliveries_total} is registered
     */
    public static Outbox open(Vertx vertx, List<WebhookConfig> webhooks, Path directory, long journalLastIndex,
            InstantSource clock, Backoff backoff, PrometheusRegistry registry) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(backoff, "backoff");
        OutboxLog log = OutboxLog.open(directory);
        WebClient client = WebClient.create(vertx);
        List<IncidentSink> sinks = new ArrayList<>();
        for (WebhookConfig webhook : webhooks) {
            sinks.add(new WebhookSink(webhook, client, clock));
        }
        return open(vertx, client, sinks, log, journalLastIndex, backoff, registry);
    }

    /** Opens an outbox over {@code sinks} and an opened {@code log}, which it then owns (and closes). */
    static Outbox open(Vertx vertx, WebClient client, List<IncidentSink> sinks, OutboxLog log, long journalLastIndex,
            Backoff backoff, PrometheusRegistry registry) {
        Outbox outbox = new Outbox(vertx, client, log, sinks, backoff, RandomGenerator.getDefault(), registry);
        for (IncidentSink sink : sinks) {
            if (log.subscribedAfter(sink.name()).isEmpty()) {
                log.subscribe(sink.name(), journalLastIndex);
            }
            outbox.subscribedAfter.put(sink.name(), log.subscribedAfter(sink.name()).getAsLong());
        }
        return outbox;
    }

    /**
     * Queues {@code event} for every sink that receives its incident; an event already queued for a
     * sink is ignored, one already settled in the log is recorded as settled and not sent again.
     */
    public void enqueue(IncidentEvent event) {
        List<Delivery> list = byIncident.computeIfAbsent(event.incident().key(), key -> new ArrayList<>());
        for (IncidentSink sink : sinks) {
            if (event.incident().openedJournalIndex() <= subscribedAfter.get(sink.name())
                    || find(list, sink, event.type()).isPresent()) {
                continue;
            }
            Delivery delivery = new Delivery(sink, event);
            log.settled(sink.name(), event.eventId()).ifPresent(settled -> {
                delivery.state = settled.state();
                delivery.attempts = settled.attempts();
                delivery.lastError = settled.lastError().orElse(null);
            });
            list.add(delivery);
            if (started) {
                pump(delivery);
            }
        }
    }

    /**
     * Starts sending: everything pending is attempted now, later events as they come. Call it once the
     * replay has finished; it first warns about every incident a webhook was told was opened that the
     * replay no longer produced (see {@code docs/incidents.md}): its resolved event will never be sent.
     */
    public void start() {
        for (IncidentSink sink : sinks) {
            for (String key : log.openedNotResolved(sink.name())) {
                if (find(byIncident.get(key), sink, IncidentEventType.OPENED).isEmpty()) {
                    LOG.warn("Incident {} was delivered to webhook {} as opened, but the replayed journal no longer "
                            + "contains it (were the state thresholds changed?): its resolved event will never be "
                            + "sent; resolve it by hand in the receiving tool", key, sink.name());
                }
            }
        }
        started = true;
        for (List<Delivery> list : byIncident.values()) {
            for (Delivery delivery : List.copyOf(list)) {
                pump(delivery);
            }
        }
    }

    /** The deliveries of the incident with {@code key}, in the order they were queued. */
    public List<DeliveryStatus> deliveries(String key) {
        List<DeliveryStatus> statuses = new ArrayList<>();
        for (Delivery delivery : byIncident.getOrDefault(key, List.of())) {
            statuses.add(new DeliveryStatus(delivery.sink.name(), delivery.event.type(), delivery.state,
                    delivery.attempts, Optional.ofNullable(delivery.lastError)));
        }
        return statuses;
    }

    /** Stops sending and closes the log; an attempt in flight is not recorded and is sent again after a restart. */
    @Override
    public void close() {
        closed = true;
        for (List<Delivery> list : byIncident.values()) {
            for (Delivery delivery : list) {
                if (delivery.timerId >= 0) {
                    vertx.cancelTimer(delivery.timerId);
                }
            }
        }
        client.close();
        log.close();
    }

    private void pump(Delivery delivery) {
        if (closed || delivery.state != DeliveryState.PENDING || delivery.inFlight || delivery.timerId >= 0) {
            return;
        }
        if (delivery.event.type() == IncidentEventType.RESOLVED) {
            Optional<Delivery> opened = find(byIncident.get(delivery.event.incident().key()), delivery.sink,
                    IncidentEventType.OPENED);
            if (opened.isPresent() && opened.get().state == DeliveryState.PENDING) {
                return;
            }
            if (opened.isPresent() && opened.get().state == DeliveryState.FAILED) {
                if (settle(delivery, DeliveryState.FAILED, OPENED_FAILED)) {
                    deliveries.labelValues(delivery.sink.name(), "failed").inc();
                }
                return;
            }
        }
        delivery.attempts++;
        delivery.inFlight = true;
        Future<SendResult> sent;
        try {
            sent = delivery.sink.send(delivery.event);
        } catch (RuntimeException e) {
            // A sink should answer with a SendResult, never throw; if one does (a bug), the delivery must
            // not stay in flight forever: it is retried like any failed attempt.
            delivery.inFlight = false;
            LOG.error("Webhook {} threw while sending {} (attempt {})", delivery.sink.name(),
                    delivery.event.eventId(), delivery.attempts, e);
            retryLater(delivery, new SendResult.Retry("sink failed: " + e, Optional.empty()));
            return;
        }
        sent.onComplete(done -> {
            delivery.inFlight = false;
            if (!closed) {
                completed(delivery, done.succeeded() ? done.result()
                        : new SendResult.Retry(String.valueOf(done.cause()), Optional.empty()));
            }
        });
    }

    private void completed(Delivery delivery, SendResult result) {
        String webhook = delivery.sink.name();
        if (result instanceof SendResult.Delivered) {
            if (!settle(delivery, DeliveryState.DELIVERED, null)) {
                return;
            }
            deliveries.labelValues(webhook, "delivered").inc();
            LOG.info("Delivered {} to webhook {} (attempt {})", delivery.event.eventId(), webhook, delivery.attempts);
            followUp(delivery);
        } else if (result instanceof SendResult.Retry retry) {
            retryLater(delivery, retry);
        } else if (result instanceof SendResult.Rejected rejected) {
            if (!settle(delivery, DeliveryState.FAILED, rejected.error())) {
                return;
            }
            deliveries.labelValues(webhook, "failed").inc();
            LOG.warn("Webhook {} refused {} for good (attempt {}): {}", webhook, delivery.event.eventId(),
                    delivery.attempts, rejected.error());
            followUp(delivery);
        }
    }

    private void retryLater(Delivery delivery, SendResult.Retry retry) {
        String webhook = delivery.sink.name();
        deliveries.labelValues(webhook, "retried").inc();
        delivery.lastError = retry.error();
        long delay = backoff.delayMillis(Math.max(1, delivery.attempts), retry.retryAfter(), random);
        LOG.warn("Delivery of {} to webhook {} failed (attempt {}), retrying in {} ms: {}",
                delivery.event.eventId(), webhook, delivery.attempts, delay, retry.error());
        delivery.timerId = vertx.setTimer(delay, id -> {
            delivery.timerId = -1;
            pump(delivery);
        });
    }

    private void followUp(Delivery delivery) {
        if (delivery.event.type() == IncidentEventType.OPENED) {
            find(byIncident.get(delivery.event.incident().key()), delivery.sink, IncidentEventType.RESOLVED)
                    .ifPresent(this::pump);
        }
    }

    /**
     * Records the delivery as settled, log first: only once the log holds it does the delivery change
     * state in memory. If the log cannot be written the delivery stays pending and is attempted again
     * later (the receiver deduplicates on webhook-id), so neither it nor the follow-up event behind it
     * is left stuck.
     *
     * @param error the last error to record, or null to keep the one of an earlier attempt
     * @return whether it was recorded
     */
    private boolean settle(Delivery delivery, DeliveryState state, String error) {
        String lastError = error != null ? error : delivery.lastError;
        try {
            log.settle(delivery.sink.name(), delivery.event.eventId(),
                    new OutboxLog.Settled(state, delivery.attempts, Optional.ofNullable(lastError)));
        } catch (RuntimeException e) {
            LOG.error("Could not record {} to webhook {} as {} in the outbox log; it stays pending",
                    delivery.event.eventId(), delivery.sink.name(), state.label(), e);
            retryLater(delivery, new SendResult.Retry("outbox log write failed: " + e, Optional.empty()));
            return false;
        }
        delivery.lastError = lastError;
        delivery.state = state;
        return true;
    }

    private static Optional<Delivery> find(List<Delivery> list, IncidentSink sink, IncidentEventType type) {
        if (list == null) {
            return Optional.empty();
        }
        return list.stream().filter(d -> d.sink == sink && d.event.type() == type).findFirst();
    }

    /** One event on its way to one sink. */
    private static final class Delivery {
        private final IncidentSink sink;
        private final IncidentEvent event;
        private DeliveryState state = DeliveryState.PENDING;
        private int attempts;
        private String lastError;
        private boolean inFlight;
        private long timerId = -1;

        private Delivery(IncidentSink sink, IncidentEvent event) {
            this.sink = sink;
            this.event = event;
        }
    }
}
