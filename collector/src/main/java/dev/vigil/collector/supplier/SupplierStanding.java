package dev.vigil.collector.supplier;

import dev.vigil.collector.catalogue.ServiceSupplier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One supplier over a calendar month in UTC: its own availability as its measuring services saw it,
 * against its declared target, and the provider downtime attributed to it.
 *
 * @param supplier       the supplier as declared
 * @param measuredMillis the month's time counted up to now, less the time its measuring services had no
 *                       data (and none was DOWN): the denominator of availability
 * @param downtimeMillis the time any measuring service was DOWN
 * @param outages        separate stretches of that DOWN time within the month
 * @param availability   1 − downtime / measured; empty without measured time
 * @param attributed     milliseconds of provider downtime attributed to it, per provider service naming it,
 *                       in catalogue order
 */
public record SupplierStanding(ServiceSupplier supplier, long measuredMillis, long downtimeMillis, int outages,
        OptionalDouble availability, Map<String, Long> attributed) {
    /** Validates and copies keeping the order. */
    public SupplierStanding {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(availability, "availability");
        if (downtimeMillis < 0 || downtimeMillis > measuredMillis || outages < 0) {
            throw new IllegalArgumentException("supplier " + supplier.name() + " downtime " + downtimeMillis
                    + " ms must lie within its measured time " + measuredMillis + " ms, outages (" + outages
                    + ") >= 0");
        }
        attributed = Collections.unmodifiableMap(new LinkedHashMap<>(attributed));
    }

    /** Whether its availability met its target; empty without a target or without measured time. */
    public Optional<Boolean> met() {
        if (supplier.availabilityTarget().isEmpty() || availability.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(availability.getAsDouble() >= supplier.availabilityTarget().getAsDouble());
    }

    /** The provider downtime attributed to it in total. */
    public long attributedMillis() {
        return attributed.values().stream().mapToLong(Long::longValue).sum();
    }
}
