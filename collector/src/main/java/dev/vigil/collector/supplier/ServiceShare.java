package dev.vigil.collector.supplier;

import dev.vigil.collector.catalogue.ServiceSupplier;
import dev.vigil.collector.sla.PeriodRange;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one provider service's SLA downtime over a month splits between its suppliers and the provider.
 *
 * @param service        the service's name
 * @param sla            the name of its SLA
 * @param month          the month in its SLA calendar's zone, as {@code /api/v1/sla?period=YYYY-MM} counts it
 * @param downtimeMillis its SLA downtime in that month, counted up to now
 * @param attributed     milliseconds of that downtime per supplier, in the service's {@code suppliers:}
 *                       order (zero included), then {@value ServiceSupplier#PROVIDER}: the provider's
 *                       own share; the values add up to {@code downtimeMillis}
 */
public record ServiceShare(String service, String sla, PeriodRange month, long downtimeMillis,
        Map<String, Long> attributed) {
    /** Validates that the parts add up and copies keeping the order. */
    public ServiceShare {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(sla, "sla");
        Objects.requireNonNull(month, "month");
        attributed = Collections.unmodifiableMap(new LinkedHashMap<>(attributed));
        if (!attributed.containsKey(ServiceSupplier.PROVIDER)) {
            throw new IllegalArgumentException("service " + service + " has no provider share");
        }
        long sum = attributed.values().stream().mapToLong(Long::longValue).sum();
        if (sum != downtimeMillis || attributed.values().stream().anyMatch(part -> part < 0)) {
            throw new IllegalArgumentException("service " + service + " parts " + attributed + " must be >= 0 and "
                    + "add up to its downtime " + downtimeMillis + " ms");
        }
    }

    /** The provider's own share: the downtime no supplier was down for. */
    public long providerMillis() {
        return attributed.get(ServiceSupplier.PROVIDER);
    }

    /** The share of {@code supplier}, zero when the service does not name it. */
    public long of(String supplier) {
        return attributed.getOrDefault(supplier, 0L);
    }
}
