package dev.vigil.collector.kpi;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.SlaPeriod;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The current month's incident KPIs as metrics: {@code vigil_incident_mttd_seconds},
 * {@code vigil_incident_mtta_seconds}, {@code vigil_incident_mttr_seconds} (by service) and
 * {@code vigil_incident_target_met_ratio} (by service and target). {@link #refresh} computes them,
 * called with the collector's periodic refresh of figures; a scrape only reads what it left, so scrapes
 * cost the same however many incidents there are. A service gets no series for a value it lacks
 * (no restored outage this month: no MTTR) rather than a NaN.
 */
public final class KpiFigures {
    /** The months KPIs are computed over: calendar months in UTC. */
    public static final SlaPeriod MONTHS = new SlaPeriod.CalendarMonth(ZoneOffset.UTC);

    private final Supplier<List<Incident>> incidents;
    private final KpiConfig config;
    private volatile List<ServiceKpis> current = List.of();

    /**
     * Figures over {@code incidents}.
     *
     * @param incidents every incident the collector keeps, e.g. {@code book::incidents}; called on
     *                  {@link #refresh}'s thread only
     */
    public KpiFigures(Supplier<List<Incident>> incidents, KpiConfig config) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Recomputes the month holding {@code nowEpochMillis}. */
    public void refresh(long nowEpochMillis) {
        PeriodRange month = MONTHS.containing(nowEpochMillis);
        current = IncidentKpis.of(incidents.get(), month, config, nowEpochMillis);
    }

    /** What the last {@link #refresh} computed, by service name. */
    public List<ServiceKpis> current() {
        return current;
    }

    /** Registers the four gauges in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        mean(registry, "vigil_incident_mttd_seconds",
                "Mean time from outage start to detection, over this month's (UTC) outages", ServiceKpis::detect);
        mean(registry, "vigil_incident_mtta_seconds",
                "Mean time from detection to acknowledgement, over this month's (UTC) acknowledged outages",
                ServiceKpis::acknowledge);
        mean(registry, "vigil_incident_mttr_seconds",
                "Mean time from outage start to its end, over this month's (UTC) restored outages",
                ServiceKpis::restore);
        GaugeWithCallback.builder().name("vigil_incident_target_met_ratio")
                .help("Share of this month's (UTC) judged outages that met the detect, acknowledge or restore target")
                .labelNames("service", "target")
                .callback(callback -> {
                    for (ServiceKpis kpis : current) {
                        for (KpiTarget target : KpiTarget.values()) {
                            OptionalDouble ratio = kpis.of(target).metRatio();
                            if (ratio.isPresent()) {
                                callback.call(ratio.getAsDouble(), kpis.service(), target.label());
                            }
                        }
                    }
                })
                .register(registry);
    }

    private void mean(PrometheusRegistry registry, String name, String help, Function<ServiceKpis, KpiMeasure> kpi) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("service")
                .callback(callback -> {
                    for (ServiceKpis kpis : current) {
                        OptionalDouble mean = kpi.apply(kpis).meanSeconds();
                        if (mean.isPresent()) {
                            callback.call(mean.getAsDouble(), kpis.service());
                        }
                    }
                })
                .register(registry);
    }
}
