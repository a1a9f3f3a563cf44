package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One source of catalogue items, in the order they were defined: the collector's YAML file, or the
 * changes made through the API. Each map is keyed by the item's name (the window's id for maintenance).
 *
 * @param calendars   service calendars by name
 * @param slas        SLAs by name
 * @param services    services by name
 * @param maintenance maintenance windows by id
 * @param suppliers   suppliers by name; only the YAML file declares them
 */
public record CatalogueLayer(Map<String, ServiceCalendar> calendars, Map<String, SlaDefinition> slas,
        Map<String, Service> services, Map<String, MaintenanceEntry> maintenance,
        Map<String, ServiceSupplier> suppliers) {
    /** A layer without items. */
    public static final CatalogueLayer EMPTY = new CatalogueLayer(Map.of(), Map.of(), Map.of(), Map.of());

    /** Validates that every item is filed under its own name, and copies keeping the order. */
    public CatalogueLayer {
        calendars = ordered(calendars, ServiceCalendar::name, "calendar");
        slas = ordered(slas, SlaDefinition::name, "SLA");
        services = ordered(services, Service::name, "service");
        maintenance = ordered(maintenance, MaintenanceEntry::id, "maintenance window");
        suppliers = ordered(suppliers, ServiceSupplier::name, "supplier");
    }

    /** A layer without suppliers, as the API's always is. */
    public CatalogueLayer(Map<String, ServiceCalendar> calendars, Map<String, SlaDefinition> slas,
            Map<String, Service> services, Map<String, MaintenanceEntry> maintenance) {
        this(calendars, slas, services, maintenance, Map.of());
    }

    /** Whether it holds no item. */
    public boolean isEmpty() {
        return calendars.isEmpty() && slas.isEmpty() && services.isEmpty() && maintenance.isEmpty()
                && suppliers.isEmpty();
    }

    /** This layer with {@code calendar} added, or replacing the one of its name in place. */
    public CatalogueLayer with(ServiceCalendar calendar) {
        return new CatalogueLayer(put(calendars, calendar.name(), calendar), slas, services, maintenance, suppliers);
    }

    /** This layer with {@code sla} added, or replacing the one of its name in place. */
    public CatalogueLayer with(SlaDefinition sla) {
        return new CatalogueLayer(calendars, put(slas, sla.name(), sla), services, maintenance, suppliers);
    }

    /** This layer with {@code service} added, or replacing the one of its name in place. */
    public CatalogueLayer with(Service service) {
        return new CatalogueLayer(calendars, slas, put(services, service.name(), service), maintenance, suppliers);
    }

    /** This layer with {@code entry} added, or replacing the one of its id in place. */
    public CatalogueLayer with(MaintenanceEntry entry) {
        return new CatalogueLayer(calendars, slas, services, put(maintenance, entry.id(), entry), suppliers);
    }

    /** This layer without the calendar {@code name}. */
    public CatalogueLayer withoutCalendar(String name) {
        return new CatalogueLayer(remove(calendars, name), slas, services, maintenance, suppliers);
    }

    /** This layer without the SLA {@code name}. */
    public CatalogueLayer withoutSla(String name) {
        return new CatalogueLayer(calendars, remove(slas, name), services, maintenance, suppliers);
    }

    /** This layer without the service {@code name}. */
    public CatalogueLayer withoutService(String name) {
        return new CatalogueLayer(calendars, slas, remove(services, name), maintenance, suppliers);
    }

    private static <T> Map<String, T> ordered(Map<String, T> items, Function<T, String> name, String what) {
        Objects.requireNonNull(items, what + "s");
        Map<String, T> copy = new LinkedHashMap<>();
        items.forEach((key, item) -> {
            Objects.requireNonNull(item, what + " " + key);
            if (!key.equals(name.apply(item))) {
                throw new IllegalArgumentException(what + " " + name.apply(item) + " is filed as " + key);
            }
            copy.put(key, item);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static <T> Map<String, T> put(Map<String, T> items, String key, T item) {
        Map<String, T> copy = new LinkedHashMap<>(items);
        copy.put(key, item);
        return copy;
    }

    private static <T> Map<String, T> remove(Map<String, T> items, String key) {
        Map<String, T> copy = new LinkedHashMap<>(items);
        copy.remove(key);
        return copy;
    }
}
