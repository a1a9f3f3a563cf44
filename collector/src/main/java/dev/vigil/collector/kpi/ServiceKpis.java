package dev.vigil.collector.kpi;

import java.util.Objects;

/**
 * A service's incident KPIs over one period, from the outages that started in it.
 *
 * @param service        the service
 * @param targets        the targets the incidents were judged against
 * @param incidents      outage incidents that started in the period
 * @param open           of those, the ones not restored yet
 * @param unacknowledged of those, the ones nobody has acknowledged (open or resolved)
 * @param detect         start to detection, over every incident
 * @param acknowledge    detection to acknowledgement, over the acknowledged ones
 * @param restore        start to end of the outage, over the restored ones
 */
public record ServiceKpis(String service, KpiTargets targets, int incidents, int open, int unacknowledged,
        KpiMeasure detect, KpiMeasure acknowledge, KpiMeasure restore) {

    /** Validates presence. */
    public ServiceKpis {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(detect, "detect");
        Objects.requireNonNull(acknowledge, "acknowledge");
        Objects.requireNonNull(restore, "restore");
        if (incidents < 0 || open < 0 || unacknowledged < 0 || open > incidents || unacknowledged > incidents) {
            throw new IllegalArgumentException("counts must be 0.." + incidents + " (open " + open
                    + ", unacknowledged " + unacknowledged + ")");
        }
    }

    /** The measure of {@code target}. */
    public KpiMeasure of(KpiTarget target) {
        return switch (target) {
            case DETECT -> detect;
            case ACKNOWLEDGE -> acknowledge;
            case RESTORE -> restore;
        };
    }
}
