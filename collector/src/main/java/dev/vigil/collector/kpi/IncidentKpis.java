package dev.vigil.collector.kpi;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.sla.PeriodRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes incident KPIs: per service, over the outage incidents of that service that started in a
 * period, the times to detect, acknowledge and restore and how many met their targets.
 *
 * <p>What counts, exactly (docs/kpis.md says the same):
 * <ul>
 * <li>Only {@link IncidentKind#OUTAGE} incidents with a service, started in {@code [start, end)} of the period.</li>
 * <li>Detect: detected − started, for every incident; met when at most the target.</li>
 * <li>Acknowledge: acknowledged − detected, over acknowledged incidents; met when at most the target. An
 *     unacknowledged incident misses once it stayed open and unacknowledged longer than the target after its
 *     detection; while open and younger it is pending; resolved within the target without anyone
 *     acknowledging it, it is not judged (nobody had to).</li>
 * <li>Restore: resolved − started, over resolved incidents; met when at most the target. An open incident
 *     misses once it is older than the target, else it is pending.</li>
 * <li>Means and percentiles are over measured times only; ratios are met / (met + missed), pending excluded.</li>
 * </ul>
 * Times are clamped at zero, so a clock step between agent and collector cannot make a negative time.
 */
public final class IncidentKpis {
    private IncidentKpis() {
    }

    /**
     * The KPIs of every service with an outage incident that started in {@code period}, by service name.
     *
     * @param incidents      incidents, any kinds and periods (others are ignored)
     * @param period         the period whose incidents count
     * @param config         the targets
     * @param nowEpochMillis the time open incidents are judged at
     */
    public static List<ServiceKpis> of(List<Incident> incidents, PeriodRange period, KpiConfig config,
            long nowEpochMillis) {
        Map<String, List<Incident>> byService = new TreeMap<>();
        for (Incident incident : incidents) {
            if (counts(incident, period)) {
                byService.computeIfAbsent(incident.service().orElseThrow(), name -> new ArrayList<>()).add(incident);
            }
        }
        List<ServiceKpis> result = new ArrayList<>();
        byService.forEach((service, list) -> result.add(service(service, list, config.targetsFor(service),
                nowEpochMillis)));
        return result;
    }

    /** The KPIs of {@code service} alone; zero counts when it had no outage in {@code period}. */
    public static ServiceKpis ofService(String service, List<Incident> incidents, PeriodRange period,
            KpiConfig config, long nowEpochMillis) {
        List<Incident> list = new ArrayList<>();
        for (Incident incident : incidents) {
            if (counts(incident, period) && incident.service().orElseThrow().equals(service)) {
                list.add(incident);
            }
        }
        return service(service, list, config.targetsFor(service), nowEpochMillis);
    }

    private static boolean counts(Incident incident, PeriodRange period) {
        return incident.kind() == IncidentKind.OUTAGE && incident.service().isPresent()
                && incident.startedEpochMillis() >= period.startMillis()
                && incident.startedEpochMillis() < period.endMillis();
    }

    private static ServiceKpis service(String service, List<Incident> incidents, KpiTargets targets, long now) {
        Tally detect = new Tally(targets.detect().toMillis());
        Tally acknowledge = new Tally(targets.acknowledge().toMillis());
        Tally restore = new Tally(targets.restore().toMillis());
        int open = 0;
        int unacknowledged = 0;
        for (Incident incident : incidents) {
            long started = incident.startedEpochMillis();
            long detected = incident.detectedEpochMillis();
            detect.measured(detected - started);
            boolean resolved = incident.resolvedEpochMillis().isPresent();
            if (incident.acknowledgement().isPresent()) {
                acknowledge.measured(incident.acknowledgement().get().atEpochMillis() - detected);
            } else {
                unacknowledged++;
                // Unacknowledged for as long as it was open: an outage that ended itself within the target
                // needed nobody, so it is not judged.
                long waited = (resolved ? incident.resolvedEpochMillis().getAsLong() : now) - detected;
                acknowledge.unmeasured(waited, !resolved);
            }
            if (resolved) {
                restore.measured(incident.resolvedEpochMillis().getAsLong() - started);
            } else {
                open++;
                restore.unmeasured(now - started, true);
            }
        }
        return new ServiceKpis(service, targets, incidents.size(), open, unacknowledged, detect.measure(),
                acknowledge.measure(), restore.measure());
    }

    /** The times and counts of one KPI as they are gathered. */
    private static final class Tally {
        private final long targetMillis;
        private final List<Long> times = new ArrayList<>();
        private int met;
        private int missed;
        private int pending;

        Tally(long targetMillis) {
            this.targetMillis = targetMillis;
        }

        void measured(long millis) {
            long time = Math.max(0, millis);
            times.add(time);
            if (time <= targetMillis) {
                met++;
            } else {
                missed++;
            }
        }

        /** An incident without the time: it misses once past the target, else is pending while it may still meet it. */
        void unmeasured(long elapsedMillis, boolean stillOpen) {
            if (elapsedMillis > targetMillis) {
                missed++;
            } else if (stillOpen) {
                pending++;
            }
        }

        KpiMeasure measure() {
            return KpiMeasure.of(times.stream().mapToLong(Long::longValue).toArray(), met, missed, pending);
        }
    }
}
