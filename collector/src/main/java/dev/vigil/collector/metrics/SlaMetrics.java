package dev.vigil.collector.metrics;

import dev.vigil.collector.sla.BurnRateAlert;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.Objective;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.sla.TimelineState;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The service and SLA gauges: state, availability, objectives, error budgets, burn rates and the
 * time accounting of each service's current SLA period. Labels are the service, the SLA and, per
 * objective, a stable name like {@code latency-p95<=500ms}; no label grows with traffic.
 */
final class SlaMetrics {
    private SlaMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<EngineFigures> figures) {
        GaugeWithCallback.builder().name("vigil_service_up")
                .help("1 when the service is up, 0 when it is down, by its checks and their quorums; "
                        + "absent while it has no data")
                .labelNames("service")
                .callback(callback -> figures.get().services().forEach(service -> {
                    TimelineState state = service.status().state();
                    if (state == TimelineState.UP || state == TimelineState.DOWN) {
                        callback.call(state == TimelineState.UP ? 1 : 0, service.status().service());
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_availability_ratio")
                .help("1 - downtime / agreed service time over the SLA's current period so far")
                .labelNames("service", "sla", "period")
                .callback(callback -> results(figures, result -> result.availability().ifPresent(value ->
                        callback.call(value, result.service(), result.sla(), result.label()))))
                .register(registry);
        timeGauge(registry, figures, "vigil_sla_agreed_seconds",
                "Agreed service time of the current period so far: service hours minus maintenance, "
                        + "minus no-data time under the exclude policy", SlaResult::agreedMillis);
        timeGauge(registry, figures, "vigil_sla_downtime_seconds",
                "Downtime within the agreed service time of the current period so far", SlaResult::downtimeMillis);
        timeGauge(registry, figures, "vigil_sla_maintenance_seconds",
                "Service hours of the current period so far excluded by maintenance", SlaResult::maintenanceMillis);
        timeGauge(registry, figures, "vigil_sla_no_data_seconds",
                "Scheduled time of the current period so far without data from the service's agents",
                SlaResult::noDataMillis);
        GaugeWithCallback.builder().name("vigil_sla_outages")
                .help("Outages that started in the current period so far")
                .labelNames("service", "sla")
                .callback(callback -> results(figures, result -> callback.call(result.outagesStarted(),
                        result.service(), result.sla())))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_mttr_seconds")
                .help("Mean full duration of the outages that ended in the current period; absent without one")
                .labelNames("service", "sla")
                .callback(callback -> results(figures, result -> result.mttrMillis().ifPresent(value ->
                        callback.call(value / 1000.0, result.service(), result.sla()))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_mtbf_seconds")
                .help("Agreed up time / outages started in the current period; absent without one")
                .labelNames("service", "sla")
                .callback(callback -> results(figures, result -> result.mtbfMillis().ifPresent(value ->
                        callback.call(value / 1000.0, result.service(), result.sla()))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_objective_target_ratio")
                .help("The share of good time or samples the objective requires")
                .labelNames("service", "sla", "objective")
                .callback(callback -> objectives(figures, (result, objective) -> callback.call(
                        objective.objective().target(), result.service(), result.sla(), name(objective.objective()))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_objective_ratio")
                .help("The share of good time or samples measured over the current period so far")
                .labelNames("service", "sla", "objective")
                .callback(callback -> objectives(figures, (result, objective) -> objective.measured().ifPresent(
                        value -> callback.call(value, result.service(), result.sla(), name(objective.objective())))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_objective_met")
                .help("1 when the objective holds over the current period so far, else 0")
                .labelNames("service", "sla", "objective")
                .callback(callback -> objectives(figures, (result, objective) -> callback.call(
                        objective.met() ? 1 : 0, result.service(), result.sla(), name(objective.objective()))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_error_budget_remaining_ratio")
                .help("1 - bad / ((1 - target) x total) over the current period so far: 1 untouched, 0 spent, "
                        + "negative overspent")
                .labelNames("service", "sla", "objective")
                .callback(callback -> objectives(figures, (result, objective) -> callback.call(
                        objective.errorBudgetRemaining(), result.service(), result.sla(),
                        name(objective.objective()))))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_sla_burn_rate")
                .help("Error budget burn rate over the trailing window: (bad / total) / (1 - target)")
                .labelNames("service", "sla", "objective", "window")
                .callback(callback -> figures.get().services().forEach(service -> service.result().ifPresent(
                        result -> {
                            for (BurnRates rates : service.burnRates()) {
                                // Rules share windows (6 h is one rule's long and another's short one): one
                                // series per window.
                                Map<String, Double> byWindow = new LinkedHashMap<>();
                                for (BurnRateAlert alert : rates.alerts()) {
                                    byWindow.putIfAbsent(window(alert.rule().longWindow()), alert.longBurnRate());
                                    byWindow.putIfAbsent(window(alert.rule().shortWindow()), alert.shortBurnRate());
                                }
                                String objective = name(rates.objective());
                                byWindow.forEach((window, rate) -> callback.call(rate, result.service(), result.sla(),
                                        objective, window));
                            }
                        })))
                .register(registry);
    }

    /** The objective's name in the {@code objective} label, e.g. {@code latency-p95<=500ms}. */
    static String name(Objective objective) {
        return objective.name();
    }

    private static String window(Duration window) {
        long minutes = window.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        if (minutes % 60 == 0) {
            return minutes / 60 + "h";
        }
        return minutes > 0 ? minutes + "m" : window.toSeconds() + "s";
    }

    private static void timeGauge(PrometheusRegistry registry, Supplier<EngineFigures> figures, String name,
            String help, ToLongFunction<SlaResult> millis) {
        GaugeWithCallback.builder().name(name).help(help)
                .labelNames("service", "sla")
                .callback(callback -> results(figures, result -> callback.call(millis.applyAsLong(result) / 1000.0,
                        result.service(), result.sla())))
                .register(registry);
    }

    private static void results(Supplier<EngineFigures> figures, Consumer<SlaResult> action) {
        figures.get().services().forEach(service -> service.result().ifPresent(action));
    }

    private static void objectives(Supplier<EngineFigures> figures,
            BiConsumer<SlaResult, ObjectiveResult> action) {
        results(figures, result -> result.objectives().forEach(objective -> action.accept(result, objective)));
    }
}
