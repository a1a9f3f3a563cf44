package dev.vigil.collector.metrics;

import dev.vigil.collector.engine.CheckWindowFigures;
import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.engine.TrailingWindow;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the metrics show, computed in one go by {@link CollectorMetrics#refresh()} and read by the
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

    static EngineFigures compute(SlaEngine engine, CheckBoard board) {
        Map<CheckKey, List<CheckWindowFigures>> checks = new LinkedHashMap<>();
        // Only locations that reported: a location a service names but that never sent a sample has no
        // figures yet, and its service shows it as NO_DATA.
        for (CheckStatus status : board.checks()) {
            List<CheckWindowFigures> windows = new ArrayList<>();
            for (TrailingWindow window : TrailingWindow.values()) {
                engine.checkFigures(status.key(), window).ifPresent(windows::add);
            }
            checks.put(status.key(), windows);
        }
        List<ServiceFigures> services = new ArrayList<>();
        for (String service : engine.serviceNames()) {
            services.add(new ServiceFigures(engine.status(service).orElseThrow(), engine.currentResult(service),
                    engine.burnRates(service)));
        }
        return new EngineFigures(checks, services);
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
