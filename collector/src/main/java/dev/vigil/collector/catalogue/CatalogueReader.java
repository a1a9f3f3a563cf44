package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.config.ConfigNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the catalogue sections {@code calendars:}, {@code slas:}, {@code suppliers:}, {@code services:} and
 * {@code maintenance:} of the YAML file or of the persisted API overlay, in that order, so that each
 * may refer to what the sections before it define. Services may refer to services listed after them.
 */
final class CatalogueReader {
    /** The top-level keys this reader handles. */
    static final Set<String> SECTIONS = Set.of("calendars", "slas", "suppliers", "services", "maintenance");

    private CatalogueReader() {
    }

    /**
     * Reads the sections of {@code root}.
     *
     * @param base   what the items may refer to besides each other: nothing but the built-in calendar for
     *               the file, the file's items for the overlay
     * @param agents the agents checks may name
     */
    static CatalogueLayer read(ConfigNode root, Origin origin, Catalogue base, Set<String> agents) {
        Map<String, ServiceCalendar> calendars = new LinkedHashMap<>();
        root.find("calendars").ifPresent(section -> section.entries().forEach((name, node) -> {
            ItemNames.key(node, name);
            if (name.equals(Catalogue.ALWAYS_ON)) {
                throw node.error("is built in (every hour of every day, UTC) and cannot be redefined");
            }
            calendars.put(name, CalendarReader.read(name, node, origin));
        }));
        Map<String, ServiceCalendar> knownCalendars = new HashMap<>(base.calendars());
        knownCalendars.putAll(calendars);

        Map<String, SlaDefinition> slas = new LinkedHashMap<>();
        References slaReferences = new References(agents, Set.of(), Set.of(), knownCalendars, Set.of());
        root.find("slas").ifPresent(section -> section.entries().forEach((name, node) ->
                slas.put(ItemNames.key(node, name), SlaReader.read(name, node, origin, slaReferences))));
        Set<String> knownSlas = new HashSet<>(base.slas().keySet());
        knownSlas.addAll(slas.keySet());

        List<ConfigNode> serviceNodes = root.list("services");
        Map<String, ConfigNode> serviceNodeByName = new LinkedHashMap<>();
        for (ConfigNode item : serviceNodes) {
            String name = ItemNames.field(item, "name");
            ConfigNode previous = serviceNodeByName.putIfAbsent(name, item);
            if (previous != null) {
                throw item.get("name").error("must be unique (was '" + name + "', as " + previous.path() + ".name)");
            }
        }
        Set<String> knownServices = new HashSet<>(serviceNodeByName.keySet());
        base.services().forEach(service -> knownServices.add(service.name()));
        // Only the YAML file declares suppliers (the overlay's keys leave the section out); its services
        // and the API's may name them.
        Map<String, ServiceSupplier> suppliers = new LinkedHashMap<>();
        root.find("suppliers").ifPresent(section -> section.entries().forEach((name, node) ->
                suppliers.put(ItemNames.key(node, name), SupplierReader.read(name, node, knownServices))));
        Set<String> knownSuppliers = new HashSet<>(base.suppliers().keySet());
        knownSuppliers.addAll(suppliers.keySet());
        References references = new References(agents, knownServices, knownSlas, knownCalendars, knownSuppliers);
        Map<String, Service> services = new LinkedHashMap<>();
        for (ConfigNode item : serviceNodes) {
            Service service = ServiceReader.read(item, origin, Optional.empty(), references);
            services.put(service.name(), service);
        }
        Map<String, Service> allServices = new LinkedHashMap<>();
        base.services().forEach(service -> allServices.put(service.name(), service));
        allServices.putAll(services);
        Catalogue.dependencyCycle(allServices).ifPresent(cycle -> {
            ConfigNode first = cycle.stream().map(serviceNodeByName::get).filter(n -> n != null).findFirst()
                    .orElseThrow();
            throw first.get("depends_on").error("makes a dependency cycle: " + String.join(" -> ", cycle));
        });

        Map<String, MaintenanceEntry> maintenance = new LinkedHashMap<>();
        Map<String, String> maintenancePaths = new HashMap<>();
        for (ConfigNode item : root.list("maintenance")) {
            MaintenanceEntry entry = MaintenanceReader.read(item, origin, references, () -> {
                throw item.error("needs an id");
            }, Instant.EPOCH);
            String previous = maintenancePaths.putIfAbsent(entry.id(), item.path() + ".id");
            if (previous != null) {
                throw item.get("id").error("must be unique (was '" + entry.id() + "', as " + previous + ")");
            }
            maintenance.put(entry.id(), entry);
        }
        return new CatalogueLayer(calendars, slas, services, maintenance, suppliers);
    }
}
