package dev.vigil.collector.metrics;

import dev.vigil.collector.engine.CheckWindowFigures;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.engine.TrailingWindow;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.sla.BurnRateAlert;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.sla.TimelineState;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The samples of every {@link FigureGauge}, values and label values ready to write, computed in steps by
 * {@link CollectorMetrics#refreshStep} and written by the scrape callbacks: immutable, so a scrape never
 * sees half a refresh, and a scrape costs one loop over what it writes.
 *
 * @param samples each gauge's samples, in the order they were computed
 */
record EngineFigures(Map<FigureGauge, List<Point>> samples) {
    static final EngineFigures EMPTY = new EngineFigures(Map.of());

    EngineFigures {
        Map<FigureGauge, List<Point>> copy = new EnumMap<>(FigureGauge.class);
        samples.forEach((gauge, points) -> copy.put(gauge, List.copyOf(points)));
        samples = copy;
    }

    /** The samples of {@code gauge}; empty when it has none. */
    List<Point> of(FigureGauge gauge) {
        return samples.getOrDefault(gauge, List.of());
    }

    /**
     * One sample of a gauge.
     *
     * @param value  its value, in the gauge's unit
     * @param labels its label values, in the order of the gauge's label names
     */
    record Point(double value, String... labels) {
    }

    /**
     * Computes the figures in steps, so that a collector with thousands of services keeps its event
     * loop free between steps: each {@link #step} does at least one item (a check location with its
     * three windows, or a service) and stops once its time budget is spent. A step works on the engine as
     * it is at that moment; the set of figures published together may so span a few event-loop turns,
     * never a half-computed item.
     */
    static final class Computation {
        /** The percentiles of {@link FigureGauge#CHECK_LATENCY_PERCENTILE}, as its label values. */
        static final List<String> PERCENTILES = List.of("50", "90", "95", "99");

        private final SlaEngine engine;
        private final Iterator<CheckStatus> checks;
        private final Iterator<String> services;
        private final IncidentBook incidents;
        private final Map<FigureGauge, List<Point>> samples = new EnumMap<>(FigureGauge.class);

        Computation(SlaEngine engine, CheckBoard board, IncidentBook incidents) {
            this.engine = engine;
            this.incidents = incidents;
            // Only locations that reported: a location a service names but that never sent a sample has
            // no figures yet, and its service shows it as NO_DATA.
            this.checks = board.checks().iterator();
            this.services = engine.serviceNames().iterator();
        }

        /** Computes items until {@code budgetNanos} is spent or all are done; returns whether all are. */
        boolean step(long budgetNanos) {
            long deadline = System.nanoTime() + budgetNanos;
            do {
                if (checks.hasNext()) {
                    CheckKey key = checks.next().key();
                    for (TrailingWindow window : TrailingWindow.values()) {
                        engine.checkFigures(key, window).ifPresent(figures -> addCheck(key, figures));
                    }
                } else if (services.hasNext()) {
                    String service = services.next();
                    // A service removed from the catalogue since the computation began is skipped.
                    engine.status(service).ifPresent(status -> addService(service, status));
                } else {
                    return true;
                }
            } while (System.nanoTime() < deadline);
            return !checks.hasNext() && !services.hasNext();
        }

        EngineFigures result() {
            return new EngineFigures(samples);
        }

        private void addCheck(CheckKey key, CheckWindowFigures figures) {
            String window = figures.window().label();
            figures.availability().ifPresent(value ->
                    add(FigureGauge.CHECK_AVAILABILITY, value, key.agent(), key.check(), window));
            List<OptionalLong> micros = List.of(figures.p50Micros(), figures.p90Micros(), figures.p95Micros(),
                    figures.p99Micros());
            for (int i = 0; i < PERCENTILES.size(); i++) {
                OptionalLong value = micros.get(i);
                if (value.isPresent()) {
                    add(FigureGauge.CHECK_LATENCY_PERCENTILE, value.getAsLong() / 1e6, key.agent(), key.check(),
                            window, PERCENTILES.get(i));
                }
            }
        }

        private void addService(String service, ServiceStatus status) {
            TimelineState state = status.state();
            if (state == TimelineState.UP || state == TimelineState.DOWN) {
                add(FigureGauge.SERVICE_UP, state == TimelineState.UP ? 1 : 0, service);
            }
            Optional<SlaResult> result = engine.currentResult(service);
            List<BurnRates> burnRates = engine.burnRates(service);
            if (incidents != null) {
                // The same figures open and resolve burn-rate and spent-budget incidents: they are computed
                // once, in these steps, not again by the book.
                incidents.serviceFigures(service, result, burnRates, engine.clockMillis());
            }
            result.ifPresent(sla -> addSla(sla, burnRates));
        }

        private void addSla(SlaResult result, List<BurnRates> burnRates) {
            String service = result.service();
            String sla = result.sla();
            result.availability().ifPresent(value ->
                    add(FigureGauge.SLA_AVAILABILITY, value, service, sla, result.label()));
            add(FigureGauge.SLA_AGREED, result.agreedMillis() / 1e3, service, sla);
            add(FigureGauge.SLA_DOWNTIME, result.downtimeMillis() / 1e3, service, sla);
            add(FigureGauge.SLA_MAINTENANCE, result.maintenanceMillis() / 1e3, service, sla);
            add(FigureGauge.SLA_NO_DATA, result.noDataMillis() / 1e3, service, sla);
            add(FigureGauge.SLA_OUTAGES, result.outagesStarted(), service, sla);
            addSeconds(FigureGauge.SLA_MTTR, result.mttrMillis(), service, sla);
            addSeconds(FigureGauge.SLA_MTBF, result.mtbfMillis(), service, sla);
            addSeconds(FigureGauge.SLA_MTTD, result.mttdMillis(), service, sla);
            for (ObjectiveResult objective : result.objectives()) {
                String name = objective.objective().name();
                add(FigureGauge.OBJECTIVE_TARGET, objective.objective().target(), service, sla, name);
                objective.measured().ifPresent(value -> add(FigureGauge.OBJECTIVE_RATIO, value, service, sla, name));
                add(FigureGauge.OBJECTIVE_MET, objective.met() ? 1 : 0, service, sla, name);
                add(FigureGauge.ERROR_BUDGET_REMAINING, objective.errorBudgetRemaining(), service, sla, name);
            }
            for (BurnRates rates : burnRates) {
                // Rules share windows (6 h is one rule's long and another's short one): one series per window.
                Map<String, Double> byWindow = new LinkedHashMap<>();
                for (BurnRateAlert alert : rates.alerts()) {
                    byWindow.putIfAbsent(window(alert.rule().longWindow()), alert.longBurnRate());
                    byWindow.putIfAbsent(window(alert.rule().shortWindow()), alert.shortBurnRate());
                }
                String objective = rates.objective().name();
                byWindow.forEach((window, rate) -> add(FigureGauge.BURN_RATE, rate, service, sla, objective, window));
            }
        }

        private void addSeconds(FigureGauge gauge, OptionalDouble millis, String... labels) {
            if (millis.isPresent()) {
                add(gauge, millis.getAsDouble() / 1e3, labels);
            }
        }

        private void add(FigureGauge gauge, double value, String... labels) {
            if (labels.length != gauge.labelCount()) {
                throw new IllegalArgumentException(gauge.metricName() + " has " + gauge.labelCount()
                        + " labels (was given " + labels.length + ")");
            }
            samples.computeIfAbsent(gauge, g -> new ArrayList<>()).add(new Point(value, labels));
        }

        /** A burn-rate window as its {@code window} label: {@code 5m}, {@code 1h}, {@code 3d}. */
        static String window(Duration window) {
            long minutes = window.toMinutes();
            if (minutes % (24 * 60) == 0) {
                return minutes / (24 * 60) + "d";
            }
            if (minutes % 60 == 0) {
                return minutes / 60 + "h";
            }
            return minutes > 0 ? minutes + "m" : window.toSeconds() + "s";
        }
    }
}
