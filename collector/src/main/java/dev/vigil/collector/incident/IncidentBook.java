package dev.vigil.collector.incident;

import dev.vigil.collector.catalogue.MaintenanceEntry;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.sla.BurnRateAlert;
import dev.vigil.collector.sla.BurnRateRule;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.OutageRecord;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.sla.StateTimeline;
import dev.vigil.collector.sla.TimelineState;
import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import io.vertx.core.json.JsonObject;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import dev.vigil.collector.sla.IntervalSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Every incident, from its opening to its resolution, and what the sinks are told about it. Fed by the
 * check board (outages), by the SLA figures (burn rates, spent budgets), by Alertmanager (alerts) and
 * by people (acknowledgements); hands every event to the {@link Outbox}.
 *
 * <p><strong>Outages.</strong> When a sample changes a check location's state, each service running
 * that check (or, for a location in no service, the location itself) is evaluated as of the sample's
 * receive time: every outage its timeline shows that no incident covers opens one, keyed by the outage
 * start, and an outage that ended resolves its incident at the outage end. The timelines and the receive
 * times come from the journal, so a replay opens and resolves the same incidents with the same keys and
 * times. More locations going down later escalate the incident (an update).
 *
 * <p><strong>Muting.</strong> An outage that starts while its service is in declared maintenance, or
 * while a service it depends on has an open outage incident, is recorded muted: sinks are not told.
 * If the reason ends while it is still open it is unmuted and opened in the sinks; if it resolves muted,
 * the sinks never hear of it (it stays muted once resolved, which says so). An incident whose opening
 * the sinks received always has its resolution sent: a dependency going down later never mutes a
 * resolution. The end of a maintenance window is noticed by {@link #tick()} and, so that a replay
 * notices it too, before each state change; either way the unmuting is dated at the window's end.
 *
 * <p><strong>Restarts.</strong> Replaying the journal rebuilds the outage incidents; the acknowledgements
 * the {@link IncidentLog} holds are applied during the replay where they happened (before the first state
 * change received after them), so updates keep their numbers and timelines their order;
 * {@link #applyLog()} then restores the incidents opened off the journal.
 *
 * <p><strong>Flapping.</strong> With damping on, an outage that ends while its service is flapping
 * keeps the incident open; the next outages are added to it, and it resolves once the service is up and
 * no longer flapping. A flapping service so makes one incident, not one per outage.
 *
 * <p>Not thread-safe: the collector verticle's event loop only.
 */
public final class IncidentBook implements CheckListener, SnapshotPart {
    private static final int SNAPSHOT_FORMAT = 1;

    private final SlaEngine engine;
    private final Outbox outbox;
    private final IncidentPolicy policy;
    private final InstantSource clock;
    private final LongSupplier journalLastIndex;
    private final IncidentLog log;
    private final Map<String, Entry> incidents = new LinkedHashMap<>();
    private final Map<String, Subject> subjects = new HashMap<>();
    /** The open incidents that are muted, so that checking whether their reason ended costs nothing without them. */
    private final Set<Entry> muted = new LinkedHashSet<>();
    /** Acknowledgements the log holds, oldest first, for the replay to apply where they happened. */
    private final ArrayDeque<Map.Entry<String, Acknowledgement>> loggedAcks = new ArrayDeque<>();
    private Map<CheckKey, List<String>> servicesByLocation = Map.of();
    private long indexedCatalogueVersion = Long.MIN_VALUE;
    private int openCount;
    /**
     * Open incidents by kind and priority, kept as they open and resolve (neither changes while an incident
     * is open), so that /metrics reads them instead of walking the book.
     */
    private final int[][] openByKindAndPriority = new int[IncidentKind.values().length][Priority.values().length];
    /** Resolved incidents this process forgot, so that {@link #openedCount()} never goes down. */
    private int forgotten;

    /**
     * A book over {@code engine}'s timelines.
     *
     * @param outbox           where events go
     * @param policy           priorities, reminders, signals, damping
     * @param clock            "now" for what is not driven by samples: signals, reminders, acknowledgements
     * @param journalLastIndex the collector journal's last index: incidents opened off the journal are
     *                         placed after it, for the outbox's "sinks receive what opened after they were
     *                         configured"
     * @param log              the durable record of incidents and acknowledgements the journal cannot replay
     */
    public IncidentBook(SlaEngine engine, Outbox outbox, IncidentPolicy policy, InstantSource clock,
            LongSupplier journalLastIndex, IncidentLog log) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journalLastIndex = Objects.requireNonNull(journalLastIndex, "journalLastIndex");
        this.log = Objects.requireNonNull(log, "log");
        List<Map.Entry<String, Acknowledgement>> acks = new ArrayList<>();
        for (Incident logged : log.incidents().values()) {
            logged.acknowledgement().ifPresent(ack -> acks.add(Map.entry(logged.key(), ack)));
        }
        acks.sort(Comparator.comparingLong(item -> item.getValue().atEpochMillis()));
        loggedAcks.addAll(acks);
    }

    @Override
    public void onSample(AppliedSample applied) {
        if (applied.transition().isEmpty()) {
            return;
        }
        long scheduled = applied.sample().scheduledEpochMillis();
        long now = Math.max(applied.receivedEpochMillis(), scheduled + 1);
        String detail = applied.sample().outcome().name()
                + (applied.sample().detail().isEmpty() ? "" : ": " + applied.sample().detail())
                + " (" + applied.key().id() + ")";
        Trigger trigger = new Trigger(detail, applied.journalIndex());
        // What happened off the journal before this sample was received comes first, as it did live: an
        // acknowledgement (from the log) and the end of a maintenance window (which a tick saw live).
        applyLoggedAcknowledgementsBefore(applied.receivedEpochMillis());
        reviewMuted(now);
        List<String> services = servicesOf(applied.key());
        if (services.isEmpty()) {
            evaluate(new Target.OfCheck(applied.key()), now, scheduled, trigger);
        } else {
            for (String service : services) {
                evaluate(new Target.OfService(service), now, scheduled, trigger);
            }
        }
    }

    /**
     * Follows up on open incidents as of the clock: outages whose end the samples cannot show (a flapping
     * service settling, a location's silence), mutes whose reason ended, reminders and acknowledgements
     * read back from the sinks. Called every {@link IncidentPolicy#evaluateEvery()} once the replay is done.
     */
    public void tick() {
        long now = clock.millis();
        for (Map.Entry<String, Subject> entry : List.copyOf(subjects.entrySet())) {
            Subject subject = entry.getValue();
            if (subject.openKey != null && subject.target != null) {
                evaluate(subject.target, now, now, null);
            }
        }
        reviewMuted(now);
        for (Entry entry : List.copyOf(incidents.values())) {
            Incident incident = entry.incident;
            if (incident.status() != IncidentStatus.OPEN || !entry.openedSent) {
                continue;
            }
            if (policy.remindEvery().isPresent()) {
                long due = (now - incident.detectedEpochMillis()) / policy.remindEvery().get().toMillis();
                if (due > entry.reminders && due <= Integer.MAX_VALUE) {
                    entry.reminders = (int) due;
                    send(entry, new IncidentEvent(IncidentEventType.REMINDER, entry.reminders, incident));
                }
            }
            if (incident.acknowledgement().isEmpty()) {
                outbox.readAcknowledgements(incident, (sink, ack) -> acknowledge(incident.key(), ack));
            }
        }
    }

    /**
     * Opens or resolves the burn-rate and spent-budget incidents of {@code service} from figures just
     * computed as of {@code nowEpochMillis}.
     */
    public void serviceFigures(String service, Optional<SlaResult> result, List<BurnRates> burnRates,
            long nowEpochMillis) {
        Optional<Service> entry = engine.catalogue().service(service);
        if (entry.isEmpty()) {
            return;
        }
        if (policy.burnRate()) {
            for (BurnRates rates : burnRates) {
                String objective = rates.objective().name();
                String subjectId = IncidentKind.BURN_RATE.label() + "/" + service + "/" + objective;
                // A rule needs its long window of history: a service watched for two minutes, one of them
                // down, burns at hundreds of times its budget over "the last hour" that mostly never was.
                long historyStart = engine.serviceTimeline(service).map(StateTimeline::historyStartMillis)
                        .orElse(Long.MAX_VALUE);
                Optional<BurnRateAlert> firing = rates.alerts().stream()
                        .filter(a -> a.firing() && a.rule().severity() == BurnRateRule.Severity.PAGE
                                && historyStart <= nowEpochMillis - a.rule().longWindow().toMillis())
                        .findFirst();
                Subject subject = subjects.computeIfAbsent(subjectId, id -> new Subject());
                if (firing.isPresent() && subject.openKey == null) {
                    BurnRateAlert alert = firing.get();
                    String detail = String.format(Locale.ROOT,
                            "%s budget burning %.1f× over %s and %.1f× over %s (page threshold %.1f×)", objective,
                            alert.longBurnRate(), human(alert.rule().longWindow()), alert.shortBurnRate(),
                            human(alert.rule().shortWindow()), alert.rule().factor());
                    openSignal(subject, entry.get(), IncidentKind.BURN_RATE,
                            IncidentKeys.burnRate(service, objective, nowEpochMillis),
                            service + ": " + objective + " error budget burning fast", detail, Level.HIGH,
                            nowEpochMillis);
                } else if (firing.isEmpty() && subject.openKey != null && rates.alerts().stream().noneMatch(a ->
                        a.firing() && a.rule().severity() == BurnRateRule.Severity.PAGE)) {
                    resolveSignal(subject, nowEpochMillis, "burn rate back under the page thresholds");
                }
            }
        }
        if (policy.budgetExhausted() && result.isPresent()) {
            SlaResult sla = result.get();
            for (ObjectiveResult objective : sla.objectives()) {
                String name = objective.objective().name();
                String subjectId = IncidentKind.BUDGET_EXHAUSTED.label() + "/" + service + "/" + name;
                Subject subject = subjects.computeIfAbsent(subjectId, id -> new Subject());
                String key = IncidentKeys.budgetExhausted(service, name, sla.fromMillis());
                boolean spent = breached(service, sla, objective);
                if (subject.openKey != null && (!subject.openKey.equals(key) || !spent)) {
                    resolveSignal(subject, nowEpochMillis, subject.openKey.equals(key)
                            ? "error budget positive again (late data)" : "a new SLA period began");
                }
                if (spent && subject.openKey == null && !incidents.containsKey(key)) {
                    String detail = String.format(Locale.ROOT, "%s of %s (%s): the period's whole error budget is "
                            + "spent (%.1f%% of the budget counted so far remains): the objective cannot be met "
                            + "this period", name, sla.sla(), sla.label(), objective.errorBudgetRemaining() * 100);
                    openSignal(subject, entry.get(), IncidentKind.BUDGET_EXHAUSTED, key,
                            service + ": SLA " + sla.sla() + " breached (" + name + " budget spent)", detail,
                            Level.MEDIUM, nowEpochMillis);
                }
            }
        }
    }

    /**
     * Whether {@code objective} can no longer be met this period whatever happens next: its bad time or
     * samples exceed what the whole period allows, the total projected over the service time still to
     * come (exact for availability, whose total is agreed time; for latency, at the rate seen so far).
     * The error budget remaining in the figures is relative to what was counted so far, so early in a
     * period one slow sample would "spend" it; a breach is measured against the whole period.
     */
    private boolean breached(String service, SlaResult sla, ObjectiveResult objective) {
        if (objective.total() <= 0 || sla.agreedMillis() <= 0) {
            return false;
        }
        long remainingMillis = 0;
        if (sla.countedUntilMillis() < sla.toMillis()) {
            var definition = engine.slaOf(service);
            if (definition.isPresent()) {
                remainingMillis = engine.catalogue().calendarOf(definition.get())
                        .serviceTime(sla.countedUntilMillis(), sla.toMillis())
                        .minus(engine.catalogue().maintenanceTime(service, sla.countedUntilMillis(), sla.toMillis()))
                        .totalMillis();
            }
        }
        double projectedTotal = objective.total() * ((double) (sla.agreedMillis() + remainingMillis) / sla.agreedMillis());
        return objective.bad() > (1 - objective.objective().target()) * projectedTotal;
    }

    /**
     * Takes an alert from Prometheus' Alertmanager: a firing alert not seen before opens an incident, a
     * resolved one resolves it. Returns the incident's key.
     *
     * @param fingerprint   Alertmanager's fingerprint of the label set
     * @param startsAtMillis the alert's start
     * @param endsAtMillis  its end, when resolved
     * @param labels        its labels: {@code service} names a catalogue service, {@code severity} sets
     *                      the urgency (critical high, warning medium, else low)
     * @param annotations   its annotations: {@code summary} and {@code description} become title and detail
     */
    public String alert(String fingerprint, long startsAtMillis, OptionalLong endsAtMillis, Map<String, String> labels,
            Map<String, String> annotations) {
        String key = IncidentKeys.alert(fingerprint, startsAtMillis);
        long now = clock.millis();
        Entry existing = incidents.get(key);
        if (existing == null) {
            String alertName = labels.getOrDefault("alertname", "alert");
            Optional<Service> service = Optional.ofNullable(labels.get("service")).flatMap(engine.catalogue()::service);
            Level urgency = switch (labels.getOrDefault("severity", "").toLowerCase(Locale.ROOT)) {
                case "critical", "page", "error" -> Level.HIGH;
                case "warning", "ticket" -> Level.MEDIUM;
                default -> Level.LOW;
            };
            Level impact = service.map(s -> policy.impactOf(s.tier())).orElse(policy.defaultImpact());
            Map<String, String> incidentLabels = new LinkedHashMap<>(labels);
            String title = annotations.getOrDefault("summary", alertName
                    + service.map(s -> " on " + s.name()).orElse(""));
            Incident incident = new Incident(key, IncidentKind.ALERT, title, service.map(Service::name), List.of(),
                    IncidentStatus.OPEN, impact, urgency, policy.matrix().priorityOf(impact, urgency), startsAtMillis,
                    now, OptionalLong.empty(), Optional.empty(), Optional.empty(),
                    annotations.getOrDefault("description", ""), incidentLabels, 0,
                    List.of(new IncidentNote(now, "opened from Alertmanager alert " + alertName)),
                    journalLastIndex.getAsLong() + 1);
            // An alert about a catalogue service is muted like the service's own incidents.
            Optional<Suppression> mute = service.flatMap(s -> suppression(s.name(), now));
            if (mute.isPresent()) {
                incident = incident.suppress(mute, now);
            }
            existing = register(incident);
            log.record(incident);
            if (mute.isEmpty()) {
                sendOpening(existing);
            }
        }
        if (endsAtMillis.isPresent() && existing.incident.status() == IncidentStatus.OPEN
                && endsAtMillis.getAsLong() <= now) {
            resolve(existing, endsAtMillis.getAsLong(), "resolved by Alertmanager");
            log.record(existing.incident);
        }
        return key;
    }

    /**
     * Records that someone took the incident {@code key} on (through the API or read back from a sink):
     * an update is sent to the sinks. A second acknowledgement changes nothing.
     *
     * @return whether the incident exists and is open
     */
    public boolean acknowledge(String key, Acknowledgement ack) {
        Entry entry = incidents.get(key);
        if (entry == null || entry.incident.status() != IncidentStatus.OPEN) {
            return false;
        }
        if (entry.incident.acknowledgement().isEmpty()) {
            acknowledge(entry, ack);
            log.record(entry.incident);
        }
        return true;
    }

    private void acknowledge(Entry entry, Acknowledgement ack) {
        entry.incident = entry.incident.acknowledge(ack);
        if (entry.openedSent) {
            entry.updates++;
            send(entry, new IncidentEvent(IncidentEventType.UPDATED, entry.updates, entry.incident));
        }
    }

    /**
     * Applies the logged acknowledgements made before {@code epochMillis} to the open incidents they are
     * about: during a replay, where they happened live, so updates keep their numbers and timelines their
     * order; afterwards there are none left.
     */
    private void applyLoggedAcknowledgementsBefore(long epochMillis) {
        while (!loggedAcks.isEmpty() && loggedAcks.peekFirst().getValue().atEpochMillis() < epochMillis) {
            Map.Entry<String, Acknowledgement> item = loggedAcks.pollFirst();
            Entry entry = incidents.get(item.getKey());
            if (entry != null && entry.incident.status() == IncidentStatus.OPEN
                    && entry.incident.acknowledgement().isEmpty()) {
                acknowledge(entry, item.getValue());
            }
        }
    }

    /**
     * Applies what the incident log holds and the journal cannot replay: incidents opened off the journal
     * (restored with their events for the outbox) and acknowledgements. Call it once the replay is done.
     */
    public void applyLog() {
        for (Incident logged : log.incidents().values()) {
            Entry entry = incidents.get(logged.key());
            if (logged.kind() != IncidentKind.OUTAGE && entry == null) {
                // Opened off the journal since the snapshot (or with no snapshot): its events are made again,
                // with the ids they had, for the outbox to skip those it settled. One that resolved muted was
                // never sent and is not now.
                entry = register(asOpened(logged));
                if (!logged.muted()) {
                    sendOpening(entry);
                }
                if (logged.status() == IncidentStatus.OPEN) {
                    Subject subject = signalSubject(logged);
                    if (subject != null) {
                        subject.openKey = logged.key();
                    }
                }
            }
            if (entry == null) {
                continue;
            }
            if (logged.acknowledgement().isPresent() && entry.incident.acknowledgement().isEmpty()) {
                if (entry.incident.status() == IncidentStatus.OPEN) {
                    acknowledge(entry, logged.acknowledgement().get());
                } else {
                    entry.incident = entry.incident.acknowledge(logged.acknowledgement().get());
                }
            }
            if (logged.kind() != IncidentKind.OUTAGE && logged.status() == IncidentStatus.RESOLVED
                    && entry.incident.status() == IncidentStatus.OPEN) {
                settle(entry, logged);
            }
        }
        loggedAcks.clear();
    }

    /** Every incident, newest start first. */
    public List<Incident> incidents() {
        List<Incident> all = new ArrayList<>();
        incidents.values().forEach(entry -> all.add(entry.incident));
        all.sort(Comparator.comparingLong(Incident::startedEpochMillis).reversed().thenComparing(Incident::key));
        return all;
    }

    /** The incident with {@code key}, if there is one. */
    public Optional<Incident> incident(String key) {
        return Optional.ofNullable(incidents.get(key)).map(entry -> entry.incident);
    }

    /** How many incidents are open. */
    public int openCount() {
        return openCount;
    }

    /**
     * How many incidents were opened since the journal began (or since the oldest one kept at start): the
     * incidents in the book plus those this process forgot since, so it never goes down while it runs.
     */
    public int openedCount() {
        return incidents.size() + forgotten;
    }

    /** How many incidents of {@code kind} and {@code priority} are open (muted ones included); costs nothing. */
    public int openCount(IncidentKind kind, Priority priority) {
        return openByKindAndPriority[kind.ordinal()][priority.ordinal()];
    }

    /** How many open incidents are muted; costs nothing. */
    public int mutedCount() {
        return muted.size();
    }

    /** Forgets resolved incidents that ended before {@code epochMillis}, with their outbox lanes once settled. */
    public void forgetResolvedBefore(long epochMillis) {
        incidents.values().removeIf(entry -> {
            Incident incident = entry.incident;
            boolean old = incident.status() == IncidentStatus.RESOLVED
                    && incident.resolvedEpochMillis().getAsLong() < epochMillis;
            if (old) {
                outbox.forget(incident.key());
                forgotten++;
            }
            return old;
        });
    }

    private void evaluate(Target target, long now, long sinceHint, Trigger trigger) {
        Subject subject = subjects.computeIfAbsent(target.id(), id -> new Subject());
        subject.target = target;
        Optional<StateTimeline> found = target.timeline(engine);
        if (found.isEmpty()) {
            return;
        }
        StateTimeline timeline = found.get();
        Entry open = subject.openKey == null ? null : incidents.get(subject.openKey);
        long since = Math.min(sinceHint, subject.lastEvaluated);
        if (open != null) {
            since = Math.min(since, subject.lastStart);
        }
        if (since >= now) {
            since = now - 1;
        }
        List<OutageRecord> outages = timeline.outages(since, now, now);
        subject.lastEvaluated = now;
        boolean openSeen = false;
        for (OutageRecord outage : outages) {
            long start = outage.startEpochMillis();
            if (open != null && start == subject.lastStart) {
                openSeen = true;
                outageEnded(subject, open, target, outage, now);
            } else if (start > subject.lastStart) {
                subject.lastStart = start;
                if (open != null && subject.held) {
                    // Damped: the new outage of a flapping service joins the open incident.
                    subject.held = false;
                    open.incident = open.incident.anotherOutage(outage.detectedEpochMillis(),
                            "down again at " + Instant.ofEpochMilli(start) + " while flapping");
                    openSeen = true;
                    outageEnded(subject, open, target, outage, now);
                    continue;
                }
                if (open != null) {
                    resolve(open, start, "superseded by a later outage");
                }
                open = openOutage(target, outage, now, trigger);
                subject.openKey = open == null ? null : open.incident.key();
                openSeen = open != null;
                if (open != null) {
                    outageEnded(subject, open, target, outage, now);
                }
            }
            if (subject.openKey == null) {
                open = null;
            }
        }
        open = subject.openKey == null ? null : incidents.get(subject.openKey);
        if (open == null) {
            return;
        }
        if (subject.held) {
            if (!target.flapping(engine, now) && timeline.stateAt(now - 1, now) == TimelineState.UP) {
                resolve(open, subject.heldEndMillis, "up and no longer flapping");
            }
            return;
        }
        if (!openSeen) {
            // The samples that made the outage are no longer there (history forgotten or rewritten).
            resolve(open, now, "its outage is no longer in the data");
            return;
        }
        List<CheckKey> down = target.down(engine, now);
        if (!open.incident.checks().containsAll(down)) {
            List<CheckKey> checks = new ArrayList<>(open.incident.checks());
            down.stream().filter(key -> !checks.contains(key)).forEach(checks::add);
            open.incident = open.incident.escalate(checks, now, "escalated: " + down.stream().map(CheckKey::id).toList() + " down");
            if (open.openedSent) {
                open.updates++;
                send(open, new IncidentEvent(IncidentEventType.UPDATED, open.updates, open.incident));
            }
        }
    }

    /** Handles the end of the open incident's current outage, if it ended. */
    private void outageEnded(Subject subject, Entry open, Target target, OutageRecord outage, long now) {
        if (!outage.ended() || open.incident.status() != IncidentStatus.OPEN) {
            subject.held = false;
            return;
        }
        long end = outage.endEpochMillis().getAsLong();
        if (policy.dampFlapping() && target.flapping(engine, Math.min(now, end + 1))) {
            if (!subject.held) {
                subject.held = true;
                subject.heldEndMillis = end;
                open.incident = open.incident.withNote(end, "up at " + Instant.ofEpochMilli(end)
                        + " while flapping: kept open until it settles");
            }
            subject.heldEndMillis = end;
            return;
        }
        resolve(open, end, "recovered");
    }

    private Entry openOutage(Target target, OutageRecord outage, long now, Trigger trigger) {
        String key = target.key(outage.startEpochMillis());
        Entry existing = incidents.get(key);
        if (existing != null) {
            return existing.incident.status() == IncidentStatus.OPEN ? existing : null;
        }
        List<CheckKey> down = target.down(engine, now);
        Optional<Service> service = target.service().flatMap(engine.catalogue()::service);
        Level impact = service.map(s -> policy.impactOf(s.tier())).orElse(policy.defaultImpact());
        Level urgency = target.whole(engine, now) ? Level.HIGH : Level.MEDIUM;
        Map<String, String> labels = new LinkedHashMap<>();
        service.ifPresent(s -> {
            s.owner().ifPresent(owner -> labels.put("owner", owner));
            s.customer().ifPresent(customer -> labels.put("customer", customer));
            s.tier().ifPresent(tier -> labels.put("tier", tier));
        });
        long detected = outage.detectedEpochMillis();
        Incident incident = new Incident(key, IncidentKind.OUTAGE, target.title(), target.service(),
                down.isEmpty() ? target.locations() : down, IncidentStatus.OPEN, impact, urgency,
                policy.matrix().priorityOf(impact, urgency), outage.startEpochMillis(), detected, OptionalLong.empty(),
                Optional.empty(), Optional.empty(), trigger == null ? "" : trigger.detail(), labels, 1,
                List.of(new IncidentNote(detected, "opened: down since " + Instant.ofEpochMilli(outage.startEpochMillis()))),
                trigger == null ? journalLastIndex.getAsLong() + 1 : trigger.journalIndex());
        Optional<Suppression> mute = target.service().flatMap(name -> suppression(name, now));
        if (mute.isPresent()) {
            incident = incident.suppress(mute, now);
        }
        Entry entry = register(incident);
        if (mute.isEmpty()) {
            sendOpening(entry);
        }
        return entry;
    }

    private void openSignal(Subject subject, Service service, IncidentKind kind, String key, String title,
            String detail, Level urgency, long now) {
        Level impact = policy.impactOf(service.tier());
        Incident incident = new Incident(key, kind, title, Optional.of(service.name()), List.of(), IncidentStatus.OPEN,
                impact, urgency, policy.matrix().priorityOf(impact, urgency), now, now, OptionalLong.empty(),
                Optional.empty(), Optional.empty(), detail, Map.of(), 0, List.of(new IncidentNote(now, "opened: " + detail)),
                journalLastIndex.getAsLong() + 1);
        Optional<Suppression> mute = suppression(service.name(), now);
        if (mute.isPresent()) {
            incident = incident.suppress(mute, now);
        }
        Entry entry = register(incident);
        subject.openKey = key;
        log.record(incident);
        if (mute.isEmpty()) {
            sendOpening(entry);
        }
    }

    private void resolveSignal(Subject subject, long now, String note) {
        Entry entry = incidents.get(subject.openKey);
        subject.openKey = null;
        if (entry != null && entry.incident.status() == IncidentStatus.OPEN) {
            resolve(entry, now, note);
            log.record(entry.incident);
        }
    }

    private Subject signalSubject(Incident incident) {
        String key = incident.key();
        int at = key.lastIndexOf('@');
        if (incident.kind() == IncidentKind.ALERT || at < 0) {
            return null;
        }
        return subjects.computeIfAbsent(key.substring(0, at), id -> new Subject());
    }

    /** Why an incident of {@code service} starting now would be muted, if it would be. */
    private Optional<Suppression> suppression(String service, long now) {
        for (MaintenanceEntry window : engine.catalogue().maintenanceFor(service)) {
            if (!window.occurrences(now - 1, now).isEmpty()) {
                return Optional.of(new Suppression(Suppression.Reason.MAINTENANCE, "maintenance " + window.id()
                        + " (" + window.window().reason() + ", by " + window.window().createdBy() + ")"));
            }
        }
        Optional<Service> entry = engine.catalogue().service(service);
        if (entry.isPresent()) {
            for (String dependency : entry.get().dependsOn()) {
                Subject subject = subjects.get(new Target.OfService(dependency).id());
                if (subject != null && subject.openKey != null) {
                    return Optional.of(new Suppression(Suppression.Reason.DEPENDENCY,
                            dependency + " is down (incident " + subject.openKey + ")"));
                }
            }
        }
        return Optional.empty();
    }

    /** Unmutes open incidents whose reason ended, opening them in the sinks. */
    private void reviewMuted(long now) {
        for (Entry entry : List.copyOf(muted)) {
            Incident incident = entry.incident;
            if (incident.service().isPresent() && suppression(incident.service().get(), now).isEmpty()) {
                // Dated when the reason ended, not when it was noticed: a replay notices it at another time.
                long ended = incident.suppression().get().reason() == Suppression.Reason.MAINTENANCE
                        ? maintenanceEnded(incident.service().get(), incident.startedEpochMillis(), now) : now;
                entry.incident = incident.suppress(Optional.empty(), ended);
                muted.remove(entry);
                if (incident.kind() != IncidentKind.OUTAGE) {
                    log.record(entry.incident);
                }
                sendOpening(entry);
            }
        }
    }

    /** When the last maintenance of {@code service} since {@code sinceEpochMillis} ended, or {@code now}. */
    private long maintenanceEnded(String service, long sinceEpochMillis, long now) {
        long ended = Long.MIN_VALUE;
        for (MaintenanceEntry window : engine.catalogue().maintenanceFor(service)) {
            IntervalSet occurrences = window.occurrences(Math.min(sinceEpochMillis, now - 1), now);
            if (!occurrences.isEmpty()) {
                ended = Math.max(ended, occurrences.end(occurrences.size() - 1));
            }
        }
        return ended == Long.MIN_VALUE ? now : ended;
    }

    private Entry register(Incident incident) {
        Entry entry = new Entry(incident);
        incidents.put(incident.key(), entry);
        if (incident.status() == IncidentStatus.OPEN) {
            openCount++;
            openByKindAndPriority[incident.kind().ordinal()][incident.priority().ordinal()]++;
            if (incident.muted()) {
                muted.add(entry);
            }
        }
        return entry;
    }

    private void sendOpening(Entry entry) {
        if (!entry.openedSent) {
            entry.openedSent = true;
            send(entry, IncidentEvent.of(IncidentEventType.OPENED, entry.incident));
        }
    }

    private void resolve(Entry entry, long atEpochMillis, String note) {
        if (entry.incident.status() != IncidentStatus.OPEN) {
            return;
        }
        settle(entry, entry.incident.resolve(Math.max(atEpochMillis, entry.incident.startedEpochMillis()), note));
    }

    /** Replaces the open incident of {@code entry} with {@code resolved}, telling the sinks if they know it. */
    private void settle(Entry entry, Incident resolved) {
        entry.incident = resolved;
        openCount--;
        openByKindAndPriority[resolved.kind().ordinal()][resolved.priority().ordinal()]--;
        muted.remove(entry);
        for (Subject subject : subjects.values()) {
            if (resolved.key().equals(subject.openKey)) {
                subject.openKey = null;
                subject.held = false;
            }
        }
        if (entry.openedSent) {
            send(entry, IncidentEvent.of(IncidentEventType.RESOLVED, resolved));
        }
        if (resolved.kind() == IncidentKind.OUTAGE) {
            // A dependency recovering may unmute the services that depend on it.
            reviewMuted(resolved.resolvedEpochMillis().getAsLong());
        }
    }

    private void send(Entry entry, IncidentEvent event) {
        entry.events.add(event);
        outbox.enqueue(event);
    }

    private List<String> servicesOf(CheckKey key) {
        if (indexedCatalogueVersion != engine.catalogue().version() || servicesByLocation == null) {
            Map<CheckKey, List<String>> index = new HashMap<>();
            for (Service service : engine.catalogue().services()) {
                for (var check : service.checks()) {
                    for (String agent : check.agents()) {
                        List<String> names = index.computeIfAbsent(new CheckKey(agent, check.check()),
                                k -> new ArrayList<>());
                        if (!names.contains(service.name())) {
                            names.add(service.name());
                        }
                    }
                }
            }
            servicesByLocation = index;
            indexedCatalogueVersion = engine.catalogue().version();
        }
        return servicesByLocation.getOrDefault(key, List.of());
    }

    /** The incident as it was opened: open, not yet acknowledged, muted if it resolved muted. */
    private static Incident asOpened(Incident incident) {
        if (incident.status() == IncidentStatus.OPEN && incident.acknowledgement().isEmpty()) {
            return incident;
        }
        return new Incident(incident.key(), incident.kind(), incident.title(), incident.service(), incident.checks(),
                IncidentStatus.OPEN, incident.impact(), incident.urgency(), incident.priority(),
                incident.startedEpochMillis(), incident.detectedEpochMillis(), OptionalLong.empty(),
                Optional.empty(), incident.suppression(), incident.detail(), incident.labels(), incident.outages(),
                incident.timeline().subList(0, 1), incident.openedJournalIndex());
    }

    private static String human(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    @Override
    public String snapshotName() {
        return "incidents";
    }

    @Override
    public int snapshotVersion() {
        return 2;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_FORMAT);
        out.writeInt(incidents.size());
        for (Entry entry : incidents.values()) {
            writeString(out, entry.incident.toJson(OptionalLong.empty()).encode());
            out.writeBoolean(entry.openedSent);
            out.writeInt(entry.updates);
            out.writeInt(entry.reminders);
            out.writeInt(entry.events.size());
            for (IncidentEvent event : entry.events) {
                out.writeByte(event.type().ordinal());
                out.writeInt(event.sequence());
                writeString(out, event.incident().toJson(OptionalLong.empty()).encode());
            }
        }
        out.writeInt(subjects.size());
        for (Map.Entry<String, Subject> item : subjects.entrySet()) {
            Subject subject = item.getValue();
            out.writeUTF(item.getKey());
            out.writeBoolean(subject.openKey != null);
            if (subject.openKey != null) {
                writeString(out, subject.openKey);
            }
            out.writeLong(subject.lastStart);
            out.writeLong(subject.lastEvaluated);
            out.writeBoolean(subject.held);
            out.writeLong(subject.heldEndMillis);
        }
    }

    /**
     * Restores the incidents and their events; {@link #announceRestored()} then hands the events to the
     * outbox, once every part of the snapshot has been read.
     */
    @Override
    public void readSnapshot(DataInput in) throws IOException {
        if (!incidents.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty incident book only");
        }
        int format = in.readInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new IOException("unknown incident snapshot format " + format);
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            Entry entry = register(Incident.fromJson(new JsonObject(readString(in))));
            entry.openedSent = in.readBoolean();
            entry.updates = in.readInt();
            entry.reminders = in.readInt();
            int events = in.readInt();
            for (int e = 0; e < events; e++) {
                IncidentEventType type = IncidentEventType.values()[in.readByte()];
                int sequence = in.readInt();
                entry.events.add(new IncidentEvent(type, sequence, Incident.fromJson(new JsonObject(readString(in)))));
            }
        }
        int subjectCount = in.readInt();
        for (int i = 0; i < subjectCount; i++) {
            String id = in.readUTF();
            Subject subject = new Subject();
            subject.openKey = in.readBoolean() ? readString(in) : null;
            subject.lastStart = in.readLong();
            subject.lastEvaluated = in.readLong();
            subject.held = in.readBoolean();
            subject.heldEndMillis = in.readLong();
            subject.target = Target.of(id);
            subjects.put(id, subject);
        }
    }

    /** Hands the outbox every restored event, in the order they were first sent; it skips what it settled. */
    public void announceRestored() {
        for (Entry entry : incidents.values()) {
            entry.events.forEach(outbox::enqueue);
        }
    }

    private static void writeString(DataOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An incident and what was sent about it. */
    private static final class Entry {
        private Incident incident;
        private boolean openedSent;
        private int updates;
        private int reminders;
        private final List<IncidentEvent> events = new ArrayList<>();

        private Entry(Incident incident) {
            this.incident = incident;
        }
    }

    /** What the book remembers of one thing incidents are about: a service, a check location, a signal. */
    private static final class Subject {
        private Target target;
        private String openKey;
        private long lastStart = Long.MIN_VALUE;
        private long lastEvaluated = Long.MAX_VALUE;
        private boolean held;
        private long heldEndMillis;
    }

    /** The sample that led to an evaluation. */
    private record Trigger(String detail, long journalIndex) {
    }

    /** What an outage incident is about: a service, or a check location in no service. */
    private sealed interface Target {
        String id();

        String key(long startEpochMillis);

        String title();

        Optional<String> service();

        List<CheckKey> locations();

        Optional<StateTimeline> timeline(SlaEngine engine);

        List<CheckKey> down(SlaEngine engine, long now);

        boolean whole(SlaEngine engine, long now);

        boolean flapping(SlaEngine engine, long now);

        static Target of(String id) {
            if (id.startsWith("service/")) {
                return new OfService(id.substring("service/".length()));
            }
            if (id.startsWith("check/")) {
                String rest = id.substring("check/".length());
                int slash = rest.indexOf('/');
                return new OfCheck(new CheckKey(rest.substring(0, slash), rest.substring(slash + 1)));
            }
            return null;
        }

        record OfService(String name) implements Target {
            public String id() {
                return "service/" + name;
            }

            public String key(long startEpochMillis) {
                return IncidentKeys.serviceOutage(name, startEpochMillis);
            }

            public String title() {
                return name + " is down";
            }

            public Optional<String> service() {
                return Optional.of(name);
            }

            public List<CheckKey> locations() {
                return List.of();
            }

            public Optional<StateTimeline> timeline(SlaEngine engine) {
                return engine.serviceTimeline(name);
            }

            public List<CheckKey> down(SlaEngine engine, long now) {
                return engine.downLocations(name, now);
            }

            public boolean whole(SlaEngine engine, long now) {
                return engine.wholeServiceDown(name, now);
            }

            public boolean flapping(SlaEngine engine, long now) {
                return engine.flapping(name, now);
            }
        }

        record OfCheck(CheckKey check) implements Target {
            public String id() {
                return "check/" + check.id();
            }

            public String key(long startEpochMillis) {
                return IncidentKeys.checkOutage(check, startEpochMillis);
            }

            public String title() {
                return check.id() + " is down";
            }

            public Optional<String> service() {
                return Optional.empty();
            }

            public List<CheckKey> locations() {
                return List.of(check);
            }

            public Optional<StateTimeline> timeline(SlaEngine engine) {
                return engine.checkTimeline(check);
            }

            public List<CheckKey> down(SlaEngine engine, long now) {
                return List.of(check);
            }

            public boolean whole(SlaEngine engine, long now) {
                return true;
            }

            public boolean flapping(SlaEngine engine, long now) {
                return engine.flapping(check, now);
            }
        }
    }
}
