package dev.vigil.collector.incident.delivery;

import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted outbox: delivers every incident event to every sink that routes it, at least once and
 * in order per incident and sink, and remembers durably what it settled. The one place retries,
 * backoff, ordering and dead letters live, whatever the event or the tool.
 *
 * <p>Per incident and sink there is a <em>lane</em>, created by the opening event when the sink's
 * route accepts the incident; later events of the incident go down the same lanes. A lane sends one
 * event at a time, in order: an event is attempted only once the one before it is settled. Attempts
 * that may succeed later (connect errors, timeouts, 5xx, 408, 425, 429) are retried with
 * {@link Backoff} and the tool's {@code Retry-After}; other refusals are dead-lettered (FAILED); a
 * 410 disables the sink and dead-letters everything it still had. A resolution <em>cancels</em> the
 * events before it that failed and wait for a retry (an opening the tool answered 503, a stale update),
 * and an attempt that fails once the resolution is queued is cancelled rather than retried: a tool never
 * receives a trigger after its resolve, which in PagerDuty would open a second incident. An attempt in
 * flight is never cancelled (the resolution waits for it), and an event not yet attempted is sent
 * before the resolution, in order.
 *
 * <p>Settlements are appended to the {@link OutboxLog} first and only then change state in memory;
 * after a restart the book enqueues the same events again (same ids) and those already settled are
 * not sent again. Nothing is sent before {@link #start()}, which the collector calls once the replay
 * has finished. Not thread-safe: the collector verticle's event loop only, where its timers and HTTP
 * answers also run.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String OPENED_FAILED = "not sent: the opening was not delivered";
    private static final String SUPERSEDED = "not sent: the incident resolved before it was delivered";
    private static final String DISABLED = "not sent: the sink is disabled (its endpoint answered 410 Gone)";

    /**
     * A sink and the incidents it receives.
     *
     * @param sink   the sink
     * @param routes whether it receives an incident, decided once, at its opening
     */
    public record Route(IncidentSink sink, Predicate<Incident> routes) {
        /** Validates presence. */
        public Route {
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(routes, "routes");
        }
    }

    private final Vertx vertx;
    private final OutboxLog log;
    private final List<Route> routes;
    private final Map<String, Long> subscribedAfter = new LinkedHashMap<>();
    private final Map<String, String> disabled = new LinkedHashMap<>();
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Counter deliveries;
    private final Counter resends;
    /** Lanes by incident key, then sink name. */
    private final Map<String, Map<String, Lane>> lanes = new LinkedHashMap<>();
    /** PENDING deliveries by sink name, kept as deliveries are queued and settled, so /metrics walks no lane. */
    private final Map<String, Integer> pendingBySink = new HashMap<>();
    private boolean started;
    private boolean closed;

    private Outbox(Vertx vertx, OutboxLog log, List<Route> routes, Backoff backoff, RandomGenerator random,
            PrometheusRegistry registry) {
        this.vertx = vertx;
        this.log = log;
        this.routes = List.copyOf(routes);
        this.backoff = backoff;
        this.random = random;
        this.deliveries = Counter.builder().name("vigil_incident_deliveries_total")
                .help("Incident event deliveries settled (delivered, failed = dead-lettered, cancelled) and "
                        + "attempts that failed and will be retried")
                .labelNames("sink", "result").register(registry);
        this.resends = Counter.builder().name("vigil_incident_resends_total")
                .help("Re-sends of open incidents to sinks that expire what is not repeated (Alertmanager)")
                .labelNames("sink", "result").register(registry);
        for (Route route : this.routes) {
            for (String result : List.of("delivered", "retried", "failed", "cancelled")) {
                deliveries.initLabelValues(route.sink().name(), result);
            }
        }
        GaugeWithCallback.builder().name("vigil_incident_outbox_pending")
                .help("Incident events waiting to be delivered, per sink")
                .labelNames("sink")
                .callback(callback -> {
                    for (Route route : this.routes) {
                        callback.call(pending(route.sink().name()), route.sink().name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("vigil_incident_sink_enabled")
                .help("1 while a sink receives incidents, 0 once its endpoint answered 410 Gone")
                .labelNames("sink")
                .callback(callback -> {
                    for (Route route : this.routes) {
                        callback.call(disabled.containsKey(route.sink().name()) ? 0 : 1, route.sink().name());
                    }
                }).register(registry);
    }

    /**
     * Opens the outbox whose log is in {@code directory}, on the calling Vert.x context.
     *
     * @param routes           the sinks and what each receives
     * @param journalLastIndex the collector journal's last index before this start, or -1 when empty: a
     *                         sink configured for the first time receives only incidents opened after it
     * @param registry         where the delivery metrics are registered
     */
    public static Outbox open(Vertx vertx, List<Route> routes, Path directory, long journalLastIndex, Backoff backoff,
            PrometheusRegistry registry) {
        return open(vertx, routes, OutboxLog.open(directory), journalLastIndex, backoff, registry);
    }

    /** Opens an outbox over an opened {@code log}, which it then owns (and closes). */
    static Outbox open(Vertx vertx, List<Route> routes, OutboxLog log, long journalLastIndex, Backoff backoff,
            PrometheusRegistry registry) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(backoff, "backoff");
        Outbox outbox = new Outbox(vertx, log, routes, backoff, RandomGenerator.getDefault(), registry);
        for (Route route : routes) {
            String name = route.sink().name();
            if (log.subscribedAfter(name).isEmpty()) {
                log.subscribe(name, journalLastIndex);
            }
            outbox.subscribedAfter.put(name, log.subscribedAfter(name).getAsLong());
        }
        return outbox;
    }

    /**
     * Queues {@code event} on its incident's lanes. An opening creates a lane for each sink whose route
     * accepts the incident and that was configured before the incident opened; later events follow the
     * lanes that exist. An event already queued is ignored; one the log holds as settled is recorded as
     * settled and not sent again. A resolution cancels what waits before it, unless it is in flight.
     */
    public void enqueue(IncidentEvent event) {
        enqueue(event, route -> route.routes().test(event.incident()));
    }

    /**
     * Queues {@code event} for the sink named {@code sink} only, whatever the sinks' routes say: for what
     * is addressed to one sink, such as a problem ticket ({@code problems.sink}). Otherwise as
     * {@link #enqueue(IncidentEvent)}: an opening creates the lane if the sink was configured before it
     * opened, later events follow it, settled events are not sent again.
     *
     * @throws IllegalArgumentException when no sink has that name
     */
    public void enqueueTo(String sink, IncidentEvent event) {
        if (!subscribedAfter.containsKey(sink)) {
            throw new IllegalArgumentException("no sink named '" + sink + "' (sinks: " + sinkNames() + ")");
        }
        enqueue(event, route -> route.sink().name().equals(sink));
    }

    private void enqueue(IncidentEvent event, Predicate<Route> receives) {
        String key = event.incident().key();
        if (event.type() == IncidentEventType.OPENED) {
            for (Route route : routes) {
                String name = route.sink().name();
                if (event.incident().openedJournalIndex() > subscribedAfter.get(name) && receives.test(route)) {
                    lanes.computeIfAbsent(key, k -> new LinkedHashMap<>())
                            .computeIfAbsent(name, n -> new Lane(route.sink()));
                }
            }
        }
        Map<String, Lane> incidentLanes = lanes.get(key);
        if (incidentLanes == null) {
            return;
        }
        for (Lane lane : incidentLanes.values()) {
            if (lane.find(event.eventId()).isPresent()) {
                continue;
            }
            Delivery delivery = new Delivery(event);
            log.settled(lane.sink.name(), event.eventId()).ifPresent(settled -> {
                delivery.state = settled.state();
                delivery.attempts = settled.attempts();
                delivery.lastError = settled.lastError().orElse(null);
            });
            lane.deliveries.add(delivery);
            if (delivery.state == DeliveryState.PENDING) {
                pendingBySink.merge(lane.sink.name(), 1, Integer::sum);
            }
            if (event.type() == IncidentEventType.RESOLVED) {
                lane.resolved = true;
                cancelBefore(lane, delivery);
            }
            if (started) {
                pump(lane);
            }
        }
    }

    /**
     * Starts sending: everything pending is attempted now, later events as they come. Call it once the
     * replay has finished; it first warns about every incident a sink was told was opened that the replay
     * no longer produced (see {@code docs/incidents.md}): its resolution will never be sent.
     */
    public void start() {
        for (Route route : routes) {
            String name = route.sink().name();
            for (String key : log.openedNotResolved(name)) {
                Map<String, Lane> incidentLanes = lanes.get(key);
                if (incidentLanes == null || !incidentLanes.containsKey(name)) {
                    LOG.warn("Incident {} was delivered to sink {} as opened, but the replayed journal no longer "
                            + "contains it (were the state thresholds changed?): its resolution will never be "
                            + "sent; resolve it by hand in the receiving tool", key, name);
                }
            }
        }
        started = true;
        for (Map<String, Lane> incidentLanes : lanes.values()) {
            for (Lane lane : incidentLanes.values()) {
                // An opening delivered by an earlier run still needs its re-sends while the incident is open.
                lane.deliveries.stream().filter(d -> d.event.type() == IncidentEventType.OPENED
                        && d.state == DeliveryState.DELIVERED).findFirst().ifPresent(d -> startResending(lane, d));
                pump(lane);
            }
        }
    }

    /** The deliveries of the incident with {@code key}, per sink in order, in the order they were queued. */
    public List<DeliveryStatus> deliveries(String key) {
        List<DeliveryStatus> statuses = new ArrayList<>();
        for (Lane lane : lanes.getOrDefault(key, Map.of()).values()) {
            for (Delivery delivery : lane.deliveries) {
                statuses.add(status(lane, delivery));
            }
        }
        return statuses;
    }

    /** Every dead-lettered delivery, oldest incident first. */
    public List<DeliveryStatus> deadLetters() {
        List<DeliveryStatus> failed = new ArrayList<>();
        for (Map<String, Lane> incidentLanes : lanes.values()) {
            for (Lane lane : incidentLanes.values()) {
                for (Delivery delivery : lane.deliveries) {
                    if (delivery.state == DeliveryState.FAILED) {
                        failed.add(status(lane, delivery));
                    }
                }
            }
        }
        return failed;
    }

    /** The sinks' names, in configuration order. */
    public List<String> sinkNames() {
        return routes.stream().map(route -> route.sink().name()).toList();
    }

    /** Why {@code sink} is disabled, if it is. */
    public Optional<String> disabledReason(String sink) {
        return Optional.ofNullable(disabled.get(sink));
    }

    /** How many events wait for {@code sink}; costs a map lookup. */
    public int pending(String sink) {
        return pendingBySink.getOrDefault(sink, 0);
    }

    /**
     * Asks every sink that holds {@code incident} open (its opening delivered, its resolution not queued)
     * whether someone acknowledged it there, and hands each answer to {@code acknowledged}.
     */
    public void readAcknowledgements(Incident incident, BiConsumer<String, Acknowledgement> acknowledged) {
        for (Lane lane : lanes.getOrDefault(incident.key(), Map.of()).values()) {
            boolean held = !lane.resolved && lane.deliveries.stream().anyMatch(d ->
                    d.event.type() == IncidentEventType.OPENED && d.state == DeliveryState.DELIVERED);
            if (held && !closed) {
                Future<Optional<Acknowledgement>> answer;
                try {
                    answer = lane.sink.readAcknowledgement(incident);
                } catch (RuntimeException e) {
                    LOG.error("Sink {} threw while reading the acknowledgement of {}", lane.sink.name(), incident.key(), e);
                    continue;
                }
                answer.onSuccess(ack -> ack.ifPresent(a -> {
                    if (!closed) {
                        acknowledged.accept(lane.sink.name(), a);
                    }
                }));
            }
        }
    }

    /** Forgets the lanes of incidents whose every delivery is settled: for incidents dropped from memory. */
    public void forget(String key) {
        Map<String, Lane> incidentLanes = lanes.get(key);
        if (incidentLanes != null && incidentLanes.values().stream().allMatch(lane -> lane.idle()
                && lane.deliveries.stream().allMatch(d -> d.state.settled()))) {
            incidentLanes.values().forEach(this::stopResending);
            lanes.remove(key);
        }
    }

    /** Stops sending and closes the log; an attempt in flight is not recorded and is sent again after a restart. */
    @Override
    public void close() {
        closed = true;
        for (Map<String, Lane> incidentLanes : lanes.values()) {
            for (Lane lane : incidentLanes.values()) {
                if (lane.timerId >= 0) {
                    vertx.cancelTimer(lane.timerId);
                }
                stopResending(lane);
            }
        }
        log.close();
    }

    private void pump(Lane lane) {
        if (closed || !started || lane.inFlight || lane.timerId >= 0) {
            return;
        }
        Optional<Delivery> next = lane.deliveries.stream().filter(d -> d.state == DeliveryState.PENDING).findFirst();
        if (next.isEmpty()) {
            return;
        }
        Delivery delivery = next.get();
        String sink = lane.sink.name();
        if (disabled.containsKey(sink)) {
            settleThen(lane, delivery, DeliveryState.FAILED, DISABLED, "failed");
            return;
        }
        if (delivery.event.type() != IncidentEventType.OPENED && openingFailed(lane)) {
            settleThen(lane, delivery, DeliveryState.FAILED, OPENED_FAILED, "failed");
            return;
        }
        delivery.attempts++;
        lane.inFlight = true;
        Future<SendResult> sent;
        try {
            sent = lane.sink.send(delivery.event);
        } catch (RuntimeException e) {
            // A sink answers with a SendResult and never throws; if one does (a bug), the delivery must not
            // stay in flight forever: it is retried like any failed attempt.
            lane.inFlight = false;
            LOG.error("Sink {} threw while sending {} (attempt {})", sink, delivery.event.eventId(),
                    delivery.attempts, e);
            retryLater(lane, delivery, new SendResult.Retry("sink failed: " + e, Optional.empty()));
            return;
        }
        sent.onComplete(done -> {
            lane.inFlight = false;
            if (!closed) {
                completed(lane, delivery, done.succeeded() ? done.result()
                        : new SendResult.Retry(String.valueOf(done.cause()), Optional.empty()));
            }
        });
    }

    private void completed(Lane lane, Delivery delivery, SendResult result) {
        String sink = lane.sink.name();
        if (delivery.state != DeliveryState.PENDING) {
            // Settled meanwhile (cannot happen while in flight today; kept so a late answer never reopens it).
            pump(lane);
            return;
        }
        if (result instanceof SendResult.Delivered) {
            if (settle(lane, delivery, DeliveryState.DELIVERED, null)) {
                deliveries.labelValues(sink, "delivered").inc();
                LOG.info("Delivered {} to sink {} (attempt {})", delivery.event.eventId(), sink, delivery.attempts);
                if (delivery.event.type() == IncidentEventType.OPENED) {
                    startResending(lane, delivery);
                }
                pump(lane);
            }
        } else if (result instanceof SendResult.Retry retry) {
            if (lane.resolved && delivery.event.type() != IncidentEventType.RESOLVED) {
                // The resolution is queued: an opening or update that failed is not tried again but
                // cancelled, so the tool never gets it after the resolve.
                settleThen(lane, delivery, DeliveryState.CANCELLED, SUPERSEDED + " (last error: " + retry.error() + ")",
                        "cancelled");
            } else {
                retryLater(lane, delivery, retry);
            }
        } else if (result instanceof SendResult.Rejected rejected) {
            LOG.warn("Sink {} refused {} for good (attempt {}): {}", sink, delivery.event.eventId(),
                    delivery.attempts, rejected.error());
            settleThen(lane, delivery, DeliveryState.FAILED, rejected.error(), "failed");
        } else if (result instanceof SendResult.Gone gone) {
            disabled.put(sink, gone.error());
            LOG.error("Sink {} answered 410 Gone to {}: disabled until the collector restarts with it "
                    + "reconfigured; everything pending for it is dead-lettered: {}", sink,
                    delivery.event.eventId(), gone.error());
            settleThen(lane, delivery, DeliveryState.FAILED, gone.error(), "failed");
            for (Map<String, Lane> incidentLanes : lanes.values()) {
                Lane other = incidentLanes.get(sink);
                if (other != null && other != lane) {
                    pump(other);
                }
            }
        }
    }

    private boolean openingFailed(Lane lane) {
        return lane.deliveries.stream().anyMatch(d ->
                d.event.type() == IncidentEventType.OPENED && d.state == DeliveryState.FAILED);
    }

    /** Cancels every pending delivery queued before {@code resolution} on the lane that is not in flight. */
    private void cancelBefore(Lane lane, Delivery resolution) {
        // The lane sends its first pending delivery; if that one is on the wire it must finish first.
        Delivery head = lane.deliveries.stream().filter(d -> d.state == DeliveryState.PENDING).findFirst().orElse(null);
        for (Delivery delivery : lane.deliveries) {
            if (delivery == resolution) {
                break;
            }
            // Only what already failed and waits for a retry is cancelled: an event never attempted is
            // still sent, in order, before the resolution (a trigger then its resolve is what tools expect).
            if (delivery.state == DeliveryState.PENDING && delivery.attempts > 0 && !(lane.inFlight && delivery == head)) {
                if (delivery == head && lane.timerId >= 0) {
                    vertx.cancelTimer(lane.timerId);
                    lane.timerId = -1;
                }
                if (settle(lane, delivery, DeliveryState.CANCELLED, SUPERSEDED)) {
                    deliveries.labelValues(lane.sink.name(), "cancelled").inc();
                }
            }
        }
        stopResending(lane);
    }

    private void settleThen(Lane lane, Delivery delivery, DeliveryState state, String error, String result) {
        if (settle(lane, delivery, state, error)) {
            deliveries.labelValues(lane.sink.name(), result).inc();
            pump(lane);
        }
    }

    private void retryLater(Lane lane, Delivery delivery, SendResult.Retry retry) {
        String sink = lane.sink.name();
        deliveries.labelValues(sink, "retried").inc();
        delivery.lastError = retry.error();
        long delay = backoff.delayMillis(Math.max(1, delivery.attempts), retry.retryAfter(), random);
        LOG.warn("Delivery of {} to sink {} failed (attempt {}), retrying in {} ms: {}",
                delivery.event.eventId(), sink, delivery.attempts, delay, retry.error());
        lane.timerId = vertx.setTimer(delay, id -> {
            lane.timerId = -1;
            pump(lane);
        });
    }

    /** While the incident stays open, sends its opening again every interval, for tools that expire alerts. */
    private void startResending(Lane lane, Delivery opening) {
        Optional<java.time.Duration> every = lane.sink.resendWhileOpen();
        if (every.isEmpty() || lane.resolved || lane.resendTimerId >= 0 || closed) {
            return;
        }
        lane.resendTimerId = vertx.setPeriodic(every.get().toMillis(), id -> {
            if (closed || lane.resolved || disabled.containsKey(lane.sink.name())) {
                stopResending(lane);
                return;
            }
            if (lane.inFlight || lane.timerId >= 0
                    || lane.deliveries.stream().anyMatch(d -> d.state == DeliveryState.PENDING)) {
                // The lane is busy with a real event; that one carries the news.
                return;
            }
            // The latest open state: the opening or the last update delivered.
            IncidentEvent latest = opening.event;
            for (Delivery delivery : lane.deliveries) {
                if (delivery.state == DeliveryState.DELIVERED && delivery.event.type() != IncidentEventType.RESOLVED) {
                    latest = delivery.event;
                }
            }
            IncidentEvent resend = latest;
            Future<SendResult> sent;
            // The re-send occupies the lane like any attempt, so a resolution queued meanwhile waits for it:
            // the tool never gets "firing" after "resolved".
            lane.inFlight = true;
            try {
                sent = lane.sink.send(resend);
            } catch (RuntimeException e) {
                lane.inFlight = false;
                LOG.error("Sink {} threw while re-sending {}", lane.sink.name(), resend.eventId(), e);
                return;
            }
            sent.onComplete(done -> {
                lane.inFlight = false;
                if (!closed) {
                    pump(lane);
                }
                boolean ok = done.succeeded() && done.result() instanceof SendResult.Delivered;
                resends.labelValues(lane.sink.name(), ok ? "delivered" : "failed").inc();
                if (!ok) {
                    LOG.warn("Re-sending {} to sink {} failed; the next re-send tries again: {}", resend.eventId(),
                            lane.sink.name(), done.succeeded() ? done.result() : done.cause());
                }
            });
        });
    }

    private void stopResending(Lane lane) {
        if (lane.resendTimerId >= 0) {
            vertx.cancelTimer(lane.resendTimerId);
            lane.resendTimerId = -1;
        }
    }

    /**
     * Records the delivery as settled, log first: only once the log holds it does the delivery change
     * state in memory. If the log cannot be written the delivery stays pending and is attempted again
     * later (the tools deduplicate on the incident key), so nothing behind it is left stuck.
     *
     * @param error the last error to record, or null to keep the one of an earlier attempt
     * @return whether it was recorded
     */
    private boolean settle(Lane lane, Delivery delivery, DeliveryState state, String error) {
        String lastError = error != null ? error : delivery.lastError;
        try {
            log.settle(lane.sink.name(), delivery.event.eventId(),
                    new OutboxLog.Settled(state, delivery.attempts, Optional.ofNullable(lastError)));
        } catch (RuntimeException e) {
            LOG.error("Could not record {} to sink {} as {} in the outbox log; it stays pending",
                    delivery.event.eventId(), lane.sink.name(), state.label(), e);
            if (lane.timerId < 0 && !lane.inFlight) {
                retryLater(lane, delivery, new SendResult.Retry("outbox log write failed: " + e, Optional.empty()));
            }
            return false;
        }
        delivery.lastError = lastError;
        if (delivery.state == DeliveryState.PENDING && state != DeliveryState.PENDING) {
            pendingBySink.merge(lane.sink.name(), -1, Integer::sum);
        }
        delivery.state = state;
        return true;
    }

    private static DeliveryStatus status(Lane lane, Delivery delivery) {
        return new DeliveryStatus(lane.sink.name(), delivery.event.eventId(), delivery.event.type(), delivery.state,
                delivery.attempts, Optional.ofNullable(delivery.lastError));
    }

    /** One incident's events on their way to one sink, sent one at a time, in order. */
    private static final class Lane {
        private final IncidentSink sink;
        private final List<Delivery> deliveries = new ArrayList<>();
        private boolean inFlight;
        private boolean resolved;
        private long timerId = -1;
        private long resendTimerId = -1;

        private Lane(IncidentSink sink) {
            this.sink = sink;
        }

        private Optional<Delivery> find(String eventId) {
            return deliveries.stream().filter(d -> d.event.eventId().equals(eventId)).findFirst();
        }

        private boolean idle() {
            return !inFlight && timerId < 0;
        }
    }

    /** One event on its way to one sink. */
    private static final class Delivery {
        private final IncidentEvent event;
        private DeliveryState state = DeliveryState.PENDING;
        private int attempts;
        private String lastError;

        private Delivery(IncidentEvent event) {
            this.event = event;
        }
    }
}
