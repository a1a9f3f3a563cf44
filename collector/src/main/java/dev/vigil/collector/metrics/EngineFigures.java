package dev.vigil.collector.metrics;

import dev.vigil.collector.engine.CheckWindowFigures;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.engine.TrailingWindow;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the metrics show, computed in steps by {@link CollectorMetrics#refreshStep} and read by the
 * scrape callbacks: immutable, so a scrape never sees half a refresh.
 *
 * @param checks   each reported check location's trailing-window figures
 * @param services each catalogue service's state, current SLA period and burn rates
 */
record EngineFigures(Map<CheckKey, List<CheckWindowFigures>> checks, List<ServiceFigures> services) {
    static final EngineFigures EMPTY = new EngineFigures(Map.of(), List.of());

    EngineFigures {
        checks = Map.copyOf(checks);
        services = List.copyOf(services);
    }

    /**
     * Computes the figures in steps, so that a collector with thousands of services keeps its event
     * loop free between steps: each {@link #step} does at least one item and stops once its time budget
     * is spent. A step works on the engine as it is at that moment; the set of figures published
     * together may so span a few event-loop turns, never a half-computed item.
     */
    static final class Computation {
        private final SlaEngine engine;
        private final Iterator<CheckStatus> checks;
        private final Iterator<String> services;
        private final Map<CheckKey, List<CheckWindowFigures>> checkFigures = new LinkedHashMap<>();
        private final List<ServiceFigures> serviceFigures = new ArrayList<>();
        private final IncidentBook incidents;

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
                    CheckStatus status = checks.next();
                    List<CheckWindowFigures> windows = new ArrayList<>();
                    for (TrailingWindow window : TrailingWindow.values()) {
                        engine.checkFigures(status.key(), window).ifPresent(windows::add);
                    }
                    checkFigures.put(status.key(), windows);
                } else if (services.hasNext()) {
                    String service = services.next();
                    // A service removed from the catalogue since the computation began is skipped.
                    engine.status(service).ifPresent(status -> {
                        ServiceFigures figures = new ServiceFigures(status, engine.currentResult(service),
                                engine.burnRates(service));
                        serviceFigures.add(figures);
                        if (incidents != null) {
                            // The same figures open and resolve burn-rate and spent-budget incidents: they are
                            // computed once, in these steps, not again by the book.
                            incidents.serviceFigures(service, figures.result(), figures.burnRates(),
                                    engine.clockMillis());
                        }
                    });
                } else {
                    return true;
                }
            } while (System.nanoTime() < deadline);
            return !checks.hasNext() && !services.hasNext();
        }

        EngineFigures result() {
            return new EngineFigures(checkFigures, serviceFigures);
        }
    }

    /**
     * One service's figures.
     *
     * @param status    its state now
     * @param result    its SLA over the current period, if it has an SLA
     * @param burnRates the burn rates of each objective now
     */
    record ServiceFigures(ServiceStatus status, Optional<SlaResult> result, List<BurnRates> burnRates) {
        ServiceFigures {
            burnRates = List.copyOf(burnRates);
        }
    }
}
