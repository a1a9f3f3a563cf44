package dev.vigil.collector.report;

import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.kpi.ServiceKpis;
import dev.vigil.collector.problem.Problem;
import dev.vigil.collector.supplier.SupplierMonth;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.collector.sla.SlaResult;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * A monthly SLA report: what every format writes. Immutable, so it is rendered off the event loop.
 *
 * @param provider           who provides the services: the collector that measured them, as the
 *                           request addressed it
 * @param month              the month reported on
 * @param generatedAt        when the figures were computed (the collector's clock)
 * @param customerFilter     the customer asked for, if only one
 * @param serviceFilter      the service asked for, if only one
 * @param customers          the services with an SLA by customer: customers by name, the services
 *                           without a customer last, services by name within each
 * @param servicesWithoutSla services in the scope that have no SLA, by name: listed, not measured
 * @param suppliers          the suppliers' month and the split of the scope's downtime between them and the
 *                           provider; empty when the catalogue declares no supplier
 */
public record SlaReport(String provider, YearMonth month, Instant generatedAt, Optional<String> customerFilter,
                        Optional<String> serviceFilter, List<CustomerSection> customers,
                        List<String> servicesWithoutSla, Optional<SupplierMonth> suppliers) {
    /** Where the figures are defined, for the report's footer. */
    public static final String DEFINITIONS = "docs/sla.md";

    /** Validates and copies. */
    public SlaReport {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(customerFilter, "customerFilter");
        Objects.requireNonNull(serviceFilter, "serviceFilter");
        customers = List.copyOf(customers);
        servicesWithoutSla = List.copyOf(servicesWithoutSla);
        Objects.requireNonNull(suppliers, "suppliers");
    }

    /** A report without a suppliers section. */
    public SlaReport(String provider, YearMonth month, Instant generatedAt, Optional<String> customerFilter,
            Optional<String> serviceFilter, List<CustomerSection> customers, List<String> servicesWithoutSla) {
        this(provider, month, generatedAt, customerFilter, serviceFilter, customers, servicesWithoutSla,
                Optional.empty());
    }

    /** How many services the report measures. */
    public int serviceCount() {
        return customers.stream().mapToInt(customer -> customer.services().size()).sum();
    }

    /**
     * The services of one customer.
     *
     * @param customer the catalogue's {@code customer}; empty for the services that name none
     * @param services by name
     */
    public record CustomerSection(Optional<String> customer, List<ServiceSection> services) {
        /** Validates and copies. */
        public CustomerSection {
            Objects.requireNonNull(customer, "customer");
            services = List.copyOf(services);
        }

        /** The customer as a heading shows it. */
        public String title() {
            return customer.orElse("No customer");
        }
    }

    /**
     * One service's month.
     *
     * @param service   the service as the catalogue describes it
     * @param sla       the SLA it is measured against
     * @param zone      the zone of the SLA's calendar: the month runs from local midnight to local midnight
     * @param result    the SLA figures over the month (counted up to the generation time if it has not ended)
     * @param incidents the incidents of the service that overlap the month, oldest first
     * @param kpis      the incident KPIs over the outages that started in the month
     * @param problems  the problems with an outage of the service that started in the month, oldest first
     * @param changes   the changes started on the service in the month, and the month's change-induced incidents
     * @param evidence  the first failure of each incident, where the collector kept evidence
     */
    public record ServiceSection(Service service, SlaDefinition sla, ZoneId zone, SlaResult result,
                                 List<Incident> incidents, ServiceKpis kpis, List<Problem> problems,
                                 ReportChanges.ServiceChanges changes, ReportEvidence evidence) {
        /** Validates and copies. */
        public ServiceSection {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(sla, "sla");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(result, "result");
            incidents = List.copyOf(incidents);
            Objects.requireNonNull(kpis, "kpis");
            problems = List.copyOf(problems);
            Objects.requireNonNull(changes, "changes");
            Objects.requireNonNull(evidence, "evidence");
        }

        /** The SLA's own period in words: {@code month}, {@code ISO week}, {@code quarter}, {@code rolling 30 days}. */
        public String slaPeriod() {
            SlaPeriod period = sla.period();
            if (period instanceof SlaPeriod.CalendarWeek) {
                return "ISO week";
            }
            if (period instanceof SlaPeriod.CalendarQuarter) {
                return "quarter";
            }
            if (period instanceof SlaPeriod.RollingDays rolling) {
                return "rolling " + rolling.days() + " days";
            }
            return "month";
        }

        /**
         * How long {@code incident} lasted: to its resolution, or while open to the end of the counted
         * range (at least its start).
         */
        public long durationMillis(Incident incident) {
            long end = incident.resolvedEpochMillis().orElse(Math.max(result.countedUntilMillis(),
                    incident.startedEpochMillis()));
            return Math.max(0, end - incident.startedEpochMillis());
        }

        /** Mean time from start to detection of the incidents that started in the month; empty if none. */
        public OptionalDouble incidentMttdMillis() {
            return startedInMonth().mapToLong(i -> Math.max(0, i.detectedEpochMillis() - i.startedEpochMillis()))
                    .average();
        }

        /**
         * Mean time from detection to acknowledgement of the incidents that started in the month and were
         * acknowledged; empty if none.
         */
        public OptionalDouble incidentMttaMillis() {
            return startedInMonth().filter(i -> i.acknowledgement().isPresent())
                    .mapToLong(i -> Math.max(0, i.acknowledgement().get().atEpochMillis() - i.detectedEpochMillis()))
                    .average();
        }

        private Stream<Incident> startedInMonth() {
            return incidents.stream().filter(i -> i.startedEpochMillis() >= result.fromMillis()
                    && i.startedEpochMillis() < result.toMillis());
        }
    }
}
