package dev.vigil.collector.supplier;

import dev.vigil.collector.catalogue.ServiceSupplier;
import dev.vigil.collector.sla.PeriodRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The supplier figures of one month: every declared supplier's standing and every provider service's
 * split of downtime.
 *
 * @param month         the month in UTC, over which suppliers' own availability is measured
 * @param asOfMillis    when it was computed; figures count up to this instant
 * @param suppliers     each declared supplier, in declaration order
 * @param services      each service with an SLA, in catalogue order
 */
public record SupplierMonth(PeriodRange month, long asOfMillis, List<SupplierStanding> suppliers,
        List<ServiceShare> services) {
    /** Validates and copies. */
    public SupplierMonth {
        Objects.requireNonNull(month, "month");
        suppliers = List.copyOf(suppliers);
        services = List.copyOf(services);
    }

    /** The standing of the supplier {@code name}, if declared. */
    public Optional<SupplierStanding> supplier(String name) {
        return suppliers.stream().filter(s -> s.supplier().name().equals(name)).findFirst();
    }

    /** The provider's total SLA downtime: the sum over its services. */
    public long downtimeMillis() {
        return services.stream().mapToLong(ServiceShare::downtimeMillis).sum();
    }

    /**
     * The provider's total downtime by whom it is attributed to: each supplier in declaration order, then
     * {@value ServiceSupplier#PROVIDER}; the values add up to {@link #downtimeMillis()}.
     */
    public Map<String, Long> attributed() {
        Map<String, Long> totals = new LinkedHashMap<>();
        suppliers.forEach(s -> totals.put(s.supplier().name(), 0L));
        totals.put(ServiceSupplier.PROVIDER, 0L);
        for (ServiceShare share : services) {
            share.attributed().forEach((name, millis) -> totals.merge(name, millis, Long::sum));
        }
        return totals;
    }
}
