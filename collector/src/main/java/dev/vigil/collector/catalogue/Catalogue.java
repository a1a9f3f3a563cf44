package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.MaintenanceWindow;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The service catalogue at one moment: services, SLAs, calendars and maintenance windows, defined in
 * the collector's YAML file or through the API, with the lookups the SLA engine needs. Immutable;
 * every change makes a new catalogue with a higher {@link #version()}.
 *
 * <p>A valid catalogue resolves every reference: a service's SLA and dependencies exist and its
 * dependencies form no cycle, and an SLA's calendar exists. The built-in calendar {@value #ALWAYS_ON}
 * (every hour of every day, UTC) always exists and cannot be redefined. A calendar period of an SLA
 * (month, week, quarter) runs in the zone of the SLA's calendar. Maintenance windows may name services
 * that no longer exist: they are kept for the audit trail and simply apply to nothing.
 */
public final class Catalogue {
    /** The name of the built-in calendar: every hour of every day, UTC, no holidays. */
    public static final String ALWAYS_ON = "24x7";
    /** The shape of service, SLA and calendar names and maintenance ids: they appear in URLs and labels. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The shape of a check id, as agents write it. */
    public static final Pattern CHECK_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    // Before EMPTY, whose construction reads it.
    private static final ServiceCalendar ALWAYS_ON_CALENDAR = ServiceCalendar.alwaysOn(ALWAYS_ON);
    /** A catalogue without items, version 0. */
    public static final Catalogue EMPTY = new Catalogue(CatalogueLayer.EMPTY, CatalogueLayer.EMPTY, "collector.yaml",
            0);

    private final CatalogueLayer file;
    private final CatalogueLayer api;
    private final String fileName;
    private final long version;
    private final Map<String, Service> services;
    private final Map<String, SlaDefinition> slas;
    private final Map<String, ServiceCalendar> calendars;
    private final Map<String, MaintenanceEntry> maintenance;
    private final Map<String, ServiceSupplier> suppliers;

    /**
     * Merges the two layers and checks the result.
     *
     * @param file     the items defined in the collector's YAML file: read-only through the API
     * @param api      the items defined through the API; no name may be in both layers
     * @param fileName the name of the YAML file, for messages
     * @param version  the version, at least 0; a change makes a catalogue with a higher one
     * @throws IllegalArgumentException naming the first item whose reference does not resolve, the first
     *                                  dependency cycle, or a name defined twice
     */
    public Catalogue(CatalogueLayer file, CatalogueLayer api, String fileName, long version) {
        this.file = Objects.requireNonNull(file, "file");
        this.api = Objects.requireNonNull(api, "api");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0 (was " + version + ")");
        }
        this.version = version;
        calendars = new LinkedHashMap<>();
        calendars.put(ALWAYS_ON, ALWAYS_ON_CALENDAR);
        merge(calendars, file.calendars(), api.calendars(), "calendar");
        Map<String, SlaDefinition> definedSlas = new LinkedHashMap<>();
        merge(definedSlas, file.slas(), api.slas(), "SLA");
        slas = new LinkedHashMap<>();
        definedSlas.forEach((name, sla) -> {
            ServiceCalendar calendar = calendars.get(sla.calendar());
            if (calendar == null) {
                throw new IllegalArgumentException("SLA " + name + " names calendar " + sla.calendar()
                        + ", which is not defined");
            }
            slas.put(name, inZone(sla, calendar.zone()));
        });
        services = new LinkedHashMap<>();
        merge(services, file.services(), api.services(), "service");
        suppliers = new LinkedHashMap<>();
        merge(suppliers, file.suppliers(), api.suppliers(), "supplier");
        suppliers.values().forEach(supplier -> {
            for (String measuring : supplier.measuredBy()) {
                if (!services.containsKey(measuring)) {
                    throw new IllegalArgumentException("supplier " + supplier.name() + " is measured by service "
                            + measuring + ", which is not defined");
                }
            }
        });
        services.values().forEach(service -> {
            for (String supplier : service.suppliers()) {
                if (!suppliers.containsKey(supplier)) {
                    throw new IllegalArgumentException("service " + service.name() + " names supplier " + supplier
                            + ", which is not defined");
                }
            }
            service.sla().ifPresent(sla -> {
                if (!slas.containsKey(sla)) {
                    throw new IllegalArgumentException("service " + service.name() + " names SLA " + sla
                            + ", which is not defined");
                }
            });
            for (String dependency : service.dependsOn()) {
                if (!services.containsKey(dependency)) {
                    throw new IllegalArgumentException("service " + service.name() + " depends on " + dependency
                            + ", which is not defined");
                }
            }
        });
        dependencyCycle(services).ifPresent(cycle -> {
            throw new IllegalArgumentException("services depend on each other in a cycle: "
                    + String.join(" -> ", cycle));
        });
        maintenance = new LinkedHashMap<>();
        merge(maintenance, file.maintenance(), api.maintenance(), "maintenance window");
    }

    /** Grows with every change: a reader holding an older version knows the catalogue changed. */
    public long version() {
        return version;
    }

    /** The name of the YAML file whose items are read-only through the API, e.g. {@code collector.yaml}. */
    public String fileName() {
        return fileName;
    }

    /** The items defined in the YAML file. */
    public CatalogueLayer fileLayer() {
        return file;
    }

    /** The items defined through the API. */
    public CatalogueLayer apiLayer() {
        return api;
    }

    /** Every service: the file's in file order, then the API's in the order they were first created. */
    public List<Service> services() {
        return List.copyOf(services.values());
    }

    /** The service {@code name}, if defined. */
    public Optional<Service> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Every SLA by name, periods in their calendar's zone. */
    public Map<String, SlaDefinition> slas() {
        return Collections.unmodifiableMap(slas);
    }

    /** The SLA {@code name}, if defined, its period in its calendar's zone. */
    public Optional<SlaDefinition> sla(String name) {
        return Optional.ofNullable(slas.get(name));
    }

    /** The SLA the service {@code name} is measured against, if the service exists and has one. */
    public Optional<SlaDefinition> slaOf(String service) {
        return service(service).flatMap(Service::sla).map(slas::get);
    }

    /** Every supplier by name, in the order the file declares them. */
    public Map<String, ServiceSupplier> suppliers() {
        return Collections.unmodifiableMap(suppliers);
    }

    /** The supplier {@code name}, if declared. */
    public Optional<ServiceSupplier> supplier(String name) {
        return Optional.ofNullable(suppliers.get(name));
    }

    /** Every calendar by name, the built-in {@value #ALWAYS_ON} first. */
    public Map<String, ServiceCalendar> calendars() {
        return Collections.unmodifiableMap(calendars);
    }

    /** The calendar {@code name}, if defined; {@value #ALWAYS_ON} always is. */
    public Optional<ServiceCalendar> calendar(String name) {
        return Optional.ofNullable(calendars.get(name));
    }

    /** The calendar of {@code sla}, which a valid catalogue always has. */
    public ServiceCalendar calendarOf(SlaDefinition sla) {
        ServiceCalendar calendar = calendars.get(sla.calendar());
        if (calendar == null) {
            throw new IllegalArgumentException("SLA " + sla.name() + " names calendar " + sla.calendar()
                    + ", which is not in catalogue version " + version);
        }
        return calendar;
    }

    /** Every maintenance window, ended ones included: the file's, then the API's in creation order. */
    public List<MaintenanceEntry> maintenance() {
        return List.copyOf(maintenance.values());
    }

    /** The maintenance window {@code id}, if defined. */
    public Optional<MaintenanceEntry> maintenanceWindow(String id) {
        return Optional.ofNullable(maintenance.get(id));
    }

    /** The maintenance windows that apply to the service {@code name}: those naming it and the global ones. */
    public List<MaintenanceEntry> maintenanceFor(String service) {
        return maintenance.values().stream().filter(entry -> entry.appliesTo(service)).toList();
    }

    /**
     * The maintenance time of the service {@code name} within {@code [fromEpochMillis, toEpochMillis)}:
     * the union of the occurrences of every window applying to it, ended windows up to their end.
     */
    public IntervalSet maintenanceTime(String service, long fromEpochMillis, long toEpochMillis) {
        IntervalSet.Builder time = IntervalSet.builder();
        for (MaintenanceEntry entry : maintenance.values()) {
            if (entry.appliesTo(service)) {
                time.addAll(entry.occurrences(fromEpochMillis, toEpochMillis));
            }
        }
        return time.build();
    }


    /** The services that depend directly on the service {@code name}, in catalogue order. */
    public List<String> dependents(String service) {
        return services.values().stream().filter(s -> s.dependsOn().contains(service)).map(Service::name).toList();
    }

    /** The services measured against the SLA {@code name}, in catalogue order. */
    public List<String> servicesWithSla(String sla) {
        return services.values().stream().filter(s -> s.sla().equals(Optional.of(sla))).map(Service::name).toList();
    }

    /** The SLAs whose agreed hours the calendar {@code name} gives, in catalogue order. */
    public List<String> slasWithCalendar(String calendar) {
        return slas.values().stream().filter(s -> s.calendar().equals(calendar)).map(SlaDefinition::name).toList();
    }

    /** This catalogue with the API's items replaced by {@code newApi} and the version raised by one. */
    public Catalogue withApiLayer(CatalogueLayer newApi) {
        return new Catalogue(file, newApi, fileName, version + 1);
    }

    /**
     * The first dependency cycle among {@code services}, as the names along it with the first repeated
     * at the end ({@code a, b, a}); empty when there is none. Dependencies on undefined services are
     * ignored here.
     */
    public static Optional<List<String>> dependencyCycle(Map<String, Service> services) {
        Map<String, Boolean> finished = new HashMap<>();
        for (String name : services.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = visit(name, services, finished, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    // Depth first; `finished` holds false while a service is on the current path and true once all its
    // dependencies have been explored, so each service is explored once.
    private static Optional<List<String>> visit(String name, Map<String, Service> services,
            Map<String, Boolean> finished, List<String> path) {
        Boolean state = finished.get(name);
        if (Boolean.TRUE.equals(state)) {
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(state)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return Optional.of(List.copyOf(cycle));
        }
        Service service = services.get(name);
        if (service == null) {
            return Optional.empty();
        }
        finished.put(name, false);
        path.add(name);
        for (String dependency : service.dependsOn()) {
            Optional<List<String>> cycle = visit(dependency, services, finished, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        finished.put(name, true);
        return Optional.empty();
    }

    /** {@code sla} with a calendar period in {@code zone}; a rolling period has no zone. */
    static SlaDefinition inZone(SlaDefinition sla, ZoneId zone) {
        SlaPeriod period = sla.period();
        if (period instanceof SlaPeriod.CalendarMonth) {
            period = new SlaPeriod.CalendarMonth(zone);
        } else if (period instanceof SlaPeriod.CalendarWeek) {
            period = new SlaPeriod.CalendarWeek(zone);
        } else if (period instanceof SlaPeriod.CalendarQuarter) {
            period = new SlaPeriod.CalendarQuarter(zone);
        }
        return period.equals(sla.period()) ? sla
                : new SlaDefinition(sla.name(), sla.objectives(), period, sla.calendar(), sla.noData());
    }

    private static <T> void merge(Map<String, T> into, Map<String, T> fromFile, Map<String, T> fromApi, String what) {
        for (Map<String, T> layer : List.of(fromFile, fromApi)) {
            layer.forEach((name, item) -> {
                if (into.putIfAbsent(name, item) != null) {
                    throw new IllegalArgumentException(what + " " + name + " is defined twice");
                }
            });
        }
    }

    @Override
    public String toString() {
        return "Catalogue[version " + version + ", " + services.size() + " services, " + slas.size() + " SLAs, "
                + calendars.size() + " calendars, " + maintenance.size() + " maintenance windows, " + suppliers.size()
                + " suppliers]";
    }
}
