package dev.vigil.collector.report;

import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.kpi.IncidentKpis;
import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.kpi.ServiceKpis;
import dev.vigil.collector.problem.Problem;
import dev.vigil.collector.report.SlaReport.CustomerSection;
import dev.vigil.collector.report.SlaReport.ServiceSection;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.collector.sla.SlaResult;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes an {@link SlaReport} in steps on the collector's event loop, like the metrics' figures: the
 * engine is not thread-safe, and one month of 10,000 services takes seconds, so each {@link #step}
 * evaluates services until its time budget is spent and the caller lets other work run before the
 * next. The services in scope and the incidents are taken when the builder is made; a service removed
 * from the catalogue meanwhile is skipped, one whose SLA changed is reported under its new SLA.
 */
public final class ReportBuilder {
    /** The longest one {@link #step} of a report in the collector holds its event loop. */
    public static final java.time.Duration STEP = java.time.Duration.ofMillis(10);

    /** Customers by name, case aside (but not merging names that differ only in case); "no customer" last. */
    private static final Comparator<Optional<String>> CUSTOMER_ORDER = Comparator.comparing(
            (Optional<String> customer) -> customer.isEmpty())
            .thenComparing(customer -> customer.orElse(""), String.CASE_INSENSITIVE_ORDER)
            .thenComparing(customer -> customer.orElse(""));
    private static final Comparator<ServiceSection> SERVICE_ORDER = Comparator.comparing(
            (ServiceSection section) -> section.service().name(), String.CASE_INSENSITIVE_ORDER)
            .thenComparing(section -> section.service().name());

    private final SlaEngine engine;
    private final ReportRequest request;
    private final String provider;
    private final Instant generatedAt;
    private final List<String> measured = new ArrayList<>();
    private final List<String> withoutSla = new ArrayList<>();
    private final Map<String, List<Incident>> incidents = new HashMap<>();
    private final List<ServiceSection> sections = new ArrayList<>();
    private final KpiConfig kpis;
    private final List<Problem> problems;
    private ReportChanges changes = ReportChanges.NONE;
    private int next;
    private ReportEvidence evidence = ReportEvidence.NONE;

    /**
     * A builder of the report {@code request} asks for; does no evaluation yet.
     *
     * @param incidentList every incident recorded, as {@link IncidentBook#incidents()} lists them
     * @param provider     who provides the services, for the header: the collector as it was addressed
     * @param kpis         the incident KPI targets
     * @param problems     every problem, as {@link dev.vigil.collector.problem.ProblemBook#problems()} lists them
     */
    public ReportBuilder(SlaEngine engine, List<Incident> incidentList, ReportRequest request, String provider,
            KpiConfig kpis, List<Problem> problems) {
        this.engine = engine;
        this.kpis = Objects.requireNonNull(kpis, "kpis");
        this.problems = List.copyOf(problems);
        this.request = request;
        this.provider = provider;
        this.generatedAt = Instant.ofEpochMilli(engine.clockMillis());
        for (Service service : engine.catalogue().services()) {
            if (inScope(service, request)) {
                (service.sla().isPresent() ? measured : withoutSla).add(service.name());
            }
        }
        Set<String> names = new HashSet<>(measured);
        // The book lists newest first; the report lists each service's incidents oldest first.
        for (int i = incidentList.size() - 1; i >= 0; i--) {
            Incident incident = incidentList.get(i);
            incident.service().filter(names::contains).ifPresent(service ->
                    incidents.computeIfAbsent(service, name -> new ArrayList<>()).add(incident));
        }
        withoutSla.sort(String.CASE_INSENSITIVE_ORDER);
    }

    /** Reports the changes of {@code changes} in each service's section; without it the sections list none. */
    public ReportBuilder withChanges(ReportChanges changes) {
        this.changes = Objects.requireNonNull(changes, "changes");
        return this;
    }

    /** Puts the first failure of each incident (taken on the event loop) in the incident rows; returns this. */
    public ReportBuilder withEvidence(ReportEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        return this;
    }

    /** Whether the filters of {@code request} select {@code service}. */
    static boolean inScope(Service service, ReportRequest request) {
        return request.service().map(service.name()::equals).orElse(true)
                && request.customer().map(customer -> service.customer().equals(Optional.of(customer))).orElse(true);
    }

    /** How many services the report evaluates. */
    public int total() {
        return measured.size();
    }

    /** How many of them are evaluated. */
    public int done() {
        return next;
    }

    /**
     * Evaluates services until {@code budgetNanos} is spent (at least one) or all are done.
     *
     * @return whether all are done
     */
    public boolean step(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        while (next < measured.size()) {
            section(measured.get(next++)).ifPresent(sections::add);
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        return next == measured.size();
    }

    /** The report, once {@link #step} said all is done. */
    public SlaReport report() {
        if (next < measured.size()) {
            throw new IllegalStateException("the report is not computed yet (" + next + " of " + measured.size()
                    + " services)");
        }
        Map<Optional<String>, List<ServiceSection>> byCustomer = new TreeMap<>(CUSTOMER_ORDER);
        for (ServiceSection section : sections) {
            byCustomer.computeIfAbsent(section.service().customer(), customer -> new ArrayList<>()).add(section);
        }
        List<CustomerSection> customers = new ArrayList<>();
        byCustomer.forEach((customer, services) -> {
            services.sort(SERVICE_ORDER);
            customers.add(new CustomerSection(customer, services));
        });
        return new SlaReport(provider, request.month(), generatedAt, request.customer(), request.service(), customers,
                withoutSla, ReportSuppliers.of(engine, request.month(), measured));
    }

    private Optional<ServiceSection> section(String name) {
        Optional<Service> service = engine.catalogue().service(name);
        Optional<SlaDefinition> sla = engine.slaOf(name);
        if (service.isEmpty() || sla.isEmpty()) {
            return Optional.empty();
        }
        ZoneId zone = engine.catalogue().calendarOf(sla.get()).zone();
        if (zone.equals(ZoneOffset.UTC)) {
            // The built-in calendar's zone is the offset "Z"; people read "UTC".
            zone = ZoneId.of("UTC");
        }
        // The month in the SLA calendar's zone: for a monthly SLA exactly its own period, so the figures
        // equal those of /api/v1/sla?period=YYYY-MM.
        long firstDay = request.month().atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
        PeriodRange month = new SlaPeriod.CalendarMonth(zone).containing(firstDay);
        Optional<SlaResult> result = engine.result(name, month);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        List<Incident> overlapping = new ArrayList<>();
        for (Incident incident : incidents.getOrDefault(name, List.of())) {
            boolean startedBeforeEnd = incident.startedEpochMillis() < month.endMillis();
            boolean endedAfterStart = incident.resolvedEpochMillis().isEmpty()
                    || incident.resolvedEpochMillis().getAsLong() > month.startMillis();
            if (startedBeforeEnd && endedAfterStart) {
                overlapping.add(incident);
            }
        }
        List<Incident> all = incidents.getOrDefault(name, List.of());
        ServiceKpis serviceKpis = IncidentKpis.ofService(name, all, month, kpis, engine.clockMillis());
        Set<String> startedInMonth = new HashSet<>();
        for (Incident incident : all) {
            if (incident.startedEpochMillis() >= month.startMillis() && incident.startedEpochMillis() < month.endMillis()) {
                startedInMonth.add(incident.key());
            }
        }
        List<Problem> serviceProblems = problems.stream()
                .filter(problem -> problem.service().equals(Optional.of(name)))
                .filter(problem -> problem.incidents().stream().anyMatch(startedInMonth::contains))
                .toList();
        return Optional.of(new ServiceSection(service.get(), sla.get(), zone, result.get(), overlapping,
                serviceKpis, serviceProblems, changes.of(name, month.startMillis(), month.endMillis()), evidence));
    }
}
