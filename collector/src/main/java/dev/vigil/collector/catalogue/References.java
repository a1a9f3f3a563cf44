package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.ServiceCalendar;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The names an item being read may refer to.
 *
 * @param agents    the agents of {@code collector.yaml}
 * @param services  the services
 * @param slas      the SLAs
 * @param calendars the calendars by name, the built-in one included
 * @param suppliers the suppliers services may depend on
 */
record References(Set<String> agents, Set<String> services, Set<String> slas, Map<String, ServiceCalendar> calendars,
        Set<String> suppliers) {
    References {
        suppliers = Set.copyOf(suppliers);
        agents = Set.copyOf(agents);
        services = Set.copyOf(services);
        slas = Set.copyOf(slas);
        calendars = Map.copyOf(calendars);
    }

    /** What an item of {@code catalogue} may refer to, with the agents {@code agents}. */
    static References of(Catalogue catalogue, Set<String> agents) {
        return new References(agents, catalogue.services().stream().map(Service::name)
                .collect(Collectors.toSet()), catalogue.slas().keySet(), catalogue.calendars(),
                catalogue.suppliers().keySet());
    }

    /** {@code names} sorted and comma-separated, or "none" when empty: for "(defined: ...)" in messages. */
    static String list(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }
}
