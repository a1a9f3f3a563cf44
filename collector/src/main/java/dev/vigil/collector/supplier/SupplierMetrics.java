package dev.vigil.collector.supplier;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.engine.SlaEngine;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The current month's supplier figures as metrics: {@code vigil_supplier_availability_ratio} and
 * {@code vigil_supplier_target_ratio} (by supplier) and {@code vigil_supplier_attributed_downtime_seconds}
 * (by supplier and provider service naming a supplier; {@code supplier="provider"} is the provider's own
 * share).
 * {@link #refresh} computes them, called with the collector's periodic refresh of figures on the event
 * loop; a scrape only reads what it left. A supplier without measured time or without a target gets no
 * series for that value rather than a NaN.
 */
public final class SupplierMetrics {
    private final SlaEngine engine;
    private volatile SupplierMonth current;

    /** Figures over {@code engine}, which {@link #refresh} reads on the engine's thread. */
    public SupplierMetrics(SlaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Recomputes the current month (UTC) as of the engine's now, for the services that name a supplier
     * only: a service without suppliers is all the provider's ({@code vigil_sla_downtime_seconds}), and
     * leaving it out keeps the cycle's cost to one SLA evaluation per tagged service.
     */
    public void refresh() {
        Catalogue catalogue = engine.catalogue();
        current = SupplierAttribution.of(engine,
                YearMonth.from(Instant.ofEpochMilli(engine.clockMillis()).atZone(ZoneOffset.UTC)),
                name -> catalogue.service(name).map(service -> !service.suppliers().isEmpty()).orElse(false));
    }

    /** Registers the three gauges in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("vigil_supplier_availability_ratio")
                .help("Availability of the supplier this month (UTC), as the services measuring it saw it")
                .labelNames("supplier")
                .callback(callback -> {
                    SupplierMonth month = current;
                    if (month != null) {
                        month.suppliers().forEach(s -> s.availability().ifPresent(
                                value -> callback.call(value, s.supplier().name())));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("vigil_supplier_target_ratio")
                .help("The supplier's declared monthly availability target")
                .labelNames("supplier")
                .callback(callback -> {
                    SupplierMonth month = current;
                    if (month != null) {
                        month.suppliers().forEach(s -> s.supplier().availabilityTarget().ifPresent(
                                value -> callback.call(value, s.supplier().name())));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("vigil_supplier_attributed_downtime_seconds")
                .help("SLA downtime of the provider service this month attributed to the supplier; "
                        + "supplier=\"provider\" is the provider's own share")
                .labelNames("supplier", "service")
                .callback(callback -> {
                    SupplierMonth month = current;
                    if (month != null) {
                        month.services().forEach(share -> share.attributed().forEach((supplier, millis) ->
                                callback.call(millis / 1000.0, supplier, share.service())));
                    }
                })
                .register(registry);
    }
}
