package dev.vigil.collector.status;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.MaintenanceEntry;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.change.Change;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.engine.TrailingWindow;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Suppression;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencyView;
import dev.vigil.collector.status.ServiceDetail.PublicChange;
import dev.vigil.collector.status.StatusPage.Announcement;
import dev.vigil.collector.status.StatusPage.PublicIncident;
import dev.vigil.collector.status.StatusPage.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Computes a {@link StatusPage} in steps, one service at a time, so that a catalogue of thousands of
 * services never holds the event loop for long: {@link #step} works until its budget is spent and
 * says whether the page is complete. Only what the page may show is copied out of the engine and the
 * incident book.
 */
final class StatusPageBuilder {
    /** How far back resolved incidents are listed. */
    static final int PAST_INCIDENT_DAYS = 14;
    /** How far back a service's page lists its changes. */
    static final int RECENT_CHANGE_DAYS = 14;
    /** The most upcoming changes a service's page lists. */
    static final int MAX_UPCOMING_CHANGES = 20;
    /** How far ahead maintenance is announced. */
    static final Duration UPCOMING = Duration.ofDays(7);
    /** How far back the start of a running maintenance occurrence is looked for. */
    private static final Duration RUNNING_SINCE = Duration.ofDays(31);
    private static final double P50 = 50;
    private static final double P95 = 95;

    private final SlaEngine engine;
    private final IncidentBook incidents;
    private final UptimeHistory history;
    private final long nowMillis;
    private final List<String> names;
    private final List<ServiceView> views = new ArrayList<>();
    private int next;
    private StatusPage page;

    StatusPageBuilder(SlaEngine engine, IncidentBook incidents, UptimeHistory history) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.history = Objects.requireNonNull(history, "history");
        this.nowMillis = engine.clockMillis();
        this.names = engine.serviceNames();
    }

    /**
     * Computes services until {@code budgetNanos} has passed (at least one per call), then the rest of
     * the page once every service is done.
     *
     * @return whether the page is complete: {@link #page()} then returns it
     */
    boolean step(long budgetNanos) {
        long started = System.nanoTime();
        while (next < names.size()) {
            view(names.get(next++)).ifPresent(views::add);
            if (System.nanoTime() - started >= budgetNanos && next < names.size()) {
                return false;
            }
        }
        if (page == null) {
            page = finish();
        }
        return true;
    }

    /** The page, once {@link #step} returned true. */
    StatusPage page() {
        if (page == null) {
            throw new IllegalStateException("the status page is not complete yet");
        }
        return page;
    }

    /** Builds the whole page at once: for tests and for small catalogues. */
    static StatusPage build(SlaEngine engine, IncidentBook incidents, UptimeHistory history) {
        StatusPageBuilder builder = new StatusPageBuilder(engine, incidents, history);
        builder.step(Long.MAX_VALUE);
        return builder.page();
    }

    /**
     * The page of the service {@code name}, at once (one service is cheap); empty when the catalogue has no
     * such service.
     *
     * @param changes every recorded change; only those of the service are shown, and only what is public
     */
    static Optional<ServiceDetail> detail(SlaEngine engine, IncidentBook incidents, UptimeHistory history,
            List<Change> changes, String name) {
        StatusPageBuilder builder = new StatusPageBuilder(engine, incidents, history);
        Optional<ServiceView> view = builder.view(name);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        long now = builder.nowMillis;
        Catalogue catalogue = engine.catalogue();
        List<PublicIncident> open = new ArrayList<>();
        List<PublicIncident> past = new ArrayList<>();
        builder.incidents(catalogue, open, past, incident -> incident.service().orElseThrow().equals(name));
        List<Announcement> maintenance = builder.announcements(catalogue).stream()
                .filter(a -> a.services().isEmpty() || a.services().contains(name)).toList();
        long recentFrom = now - Duration.ofDays(RECENT_CHANGE_DAYS).toMillis();
        List<PublicChange> recent = new ArrayList<>();
        List<PublicChange> upcoming = new ArrayList<>();
        for (Change change : changes) {
            if (!change.service().equals(name) || change.startEpochMillis() < recentFrom) {
                continue;
            }
            PublicChange shown = new PublicChange(change.summary(), change.startEpochMillis(), change.endEpochMillis(),
                    change.risk());
            (change.startEpochMillis() <= now ? recent : upcoming).add(shown);
        }
        recent.sort(Comparator.comparingLong(PublicChange::startMillis).reversed());
        upcoming.sort(Comparator.comparingLong(PublicChange::startMillis));
        return Optional.of(new ServiceDetail(now, view.get(), maintenance, open, past, recent,
                upcoming.subList(0, Math.min(upcoming.size(), MAX_UPCOMING_CHANGES))));
    }

    /** Whether a maintenance window applying to {@code service} is running at {@code nowMillis}. */
    static boolean inMaintenance(Catalogue catalogue, String service, long nowMillis) {
        return !catalogue.maintenanceTime(service, nowMillis, nowMillis + 1).isEmpty();
    }

    private Optional<ServiceView> view(String name) {
        // The catalogue may have changed between two steps: a service deleted since is left out.
        Optional<ServiceStatus> status = engine.status(name);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        Catalogue catalogue = engine.catalogue();
        List<DayFigure> days = history.days(name);
        Optional<LatencyView> latency = engine.serviceLatency(name, TrailingWindow.DAY);
        return Optional.of(new ServiceView(name, catalogue.service(name).flatMap(Service::description),
                PageState.of(status.get().state(), inMaintenance(catalogue, name, nowMillis)), days,
                UptimeHistory.uptime(days),
                latency.map(view -> view.percentileMicros(P50)).orElse(OptionalLong.empty()),
                latency.map(view -> view.percentileMicros(P95)).orElse(OptionalLong.empty())));
    }

    private StatusPage finish() {
        history.retain(names);
        List<PageState> states = views.stream().map(ServiceView::state).toList();
        List<PublicIncident> open = new ArrayList<>();
        List<PublicIncident> past = new ArrayList<>();
        Catalogue catalogue = engine.catalogue();
        incidents(catalogue, open, past, incident -> true);
        return new StatusPage(nowMillis, StatusPage.Overall.of(states), views, announcements(catalogue), open, past);
    }

    /**
     * Adds the incidents customers see that {@code which} selects to {@code open} or, when resolved in the
     * last {@link #PAST_INCIDENT_DAYS} days, to {@code past}, newest first.
     */
    private void incidents(Catalogue catalogue, List<PublicIncident> open, List<PublicIncident> past,
            Predicate<Incident> which) {
        long pastFrom = nowMillis - Duration.ofDays(PAST_INCIDENT_DAYS).toMillis();
        for (Incident incident : incidents.incidents()) {
            if (!shown(incident, catalogue) || !which.test(incident)) {
                continue;
            }
            PublicIncident shown = new PublicIncident(incident.title(), incident.service().orElseThrow(),
                    incident.startedEpochMillis(), incident.resolvedEpochMillis(),
                    incident.acknowledgement().isPresent());
            if (incident.status() == IncidentStatus.OPEN) {
                open.add(shown);
            } else if (incident.resolvedEpochMillis().getAsLong() >= pastFrom) {
                past.add(shown);
            }
        }
    }

    /**
     * Whether customers see {@code incident}: outages of catalogue services only. Burn-rate and budget
     * incidents are about the provider's error budget, alerts carry rule text that may name hosts, and an
     * outage muted by maintenance is covered by the maintenance announcement.
     */
    private static boolean shown(Incident incident, Catalogue catalogue) {
        return incident.kind() == IncidentKind.OUTAGE
                && incident.service().flatMap(catalogue::service).isPresent()
                && incident.suppression().map(s -> s.reason() != Suppression.Reason.MAINTENANCE).orElse(true);
    }

    /** Each window's running occurrence, or its next one within {@link #UPCOMING}; running ones first. */
    private List<Announcement> announcements(Catalogue catalogue) {
        List<Announcement> announcements = new ArrayList<>();
        for (MaintenanceEntry entry : catalogue.maintenance()) {
            List<String> services = catalogue.services().stream().map(Service::name).filter(entry::appliesTo)
                    .toList();
            if (services.isEmpty()) {
                continue;
            }
            IntervalSet occurrences = entry.occurrences(nowMillis - RUNNING_SINCE.toMillis(),
                    nowMillis + UPCOMING.toMillis());
            for (int i = 0; i < occurrences.size(); i++) {
                if (occurrences.end(i) > nowMillis) {
                    boolean everyService = entry.window().services().isEmpty();
                    announcements.add(new Announcement(entry.window().reason(), everyService ? List.of() : services,
                            occurrences.start(i), occurrences.end(i), occurrences.start(i) <= nowMillis));
                    break;
                }
            }
        }
        announcements.sort(Comparator.comparing((Announcement a) -> !a.active()).thenComparingLong(
                Announcement::startMillis));
        return announcements;
    }
}
