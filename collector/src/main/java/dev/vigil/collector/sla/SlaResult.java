package dev.vigil.collector.sla;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What an SLA came to over one range, as an auditor asks for it. Every time is counted within
 * {@code [fromMillis, countedUntilMillis)}: a range reaching into the future counts up to now.
 *
 * <p>The time accounting: {@code serviceHoursMillis} (range ∩ calendar) − {@code maintenanceMillis}
 * (the applying maintenance within those hours) = scheduled time; of that, {@code noDataMillis} had no
 * data, and the policy decides: {@code EXCLUDE} takes it out of the agreed time, {@code DOWN} counts
 * it as downtime, {@code UP} as up time. {@code agreedMillis} is what remains, and availability =
 * 1 − {@code downtimeMillis} / {@code agreedMillis}.
 *
 * @param service            the service's name
 * @param sla                the SLA's name
 * @param label              the period label ({@code 2026-11}) or {@code custom}
 * @param fromMillis         start of the range
 * @param toMillis           end of the range, as asked
 * @param countedUntilMillis {@code min(toMillis, now)}, at least {@code fromMillis}
 * @param serviceHoursMillis calendar service hours in the range
 * @param maintenanceMillis  service hours excluded by maintenance (the union of all windows)
 * @param maintenance        each applying window that excluded some service hours, with who and why
 * @param noDataMillis       scheduled time (service hours minus maintenance) without data
 * @param noDataPolicy       how that time counted
 * @param agreed             the agreed service time itself
 * @param agreedMillis       its length, the denominator of availability
 * @param downtimeMillis     downtime within the agreed time
 * @param availability       1 − downtime / agreed; empty without agreed time
 * @param objectives         attainment of each objective, in the SLA's order
 * @param outages            the outages overlapping the range, oldest first
 * @param outagesStarted     how many of them started in the range
 * @param outagesEnded       how many ended in the range (their last not-UP instant lies in it)
 * @param mttrMillis         mean full duration of the outages that ended in the range; empty if none
 * @param mtbfMillis         (agreed − downtime) / outages started in the range; empty if none started
 * @param mttdMillis         mean time from start to detection of the outages started in the range
 */
public record SlaResult(String service, String sla, String label, long fromMillis, long toMillis,
                        long countedUntilMillis, long serviceHoursMillis, long maintenanceMillis,
                        List<MaintenanceExclusion> maintenance, long noDataMillis, NoDataPolicy noDataPolicy,
                        IntervalSet agreed, long agreedMillis, long downtimeMillis, OptionalDouble availability,
                        List<ObjectiveResult> objectives, List<SlaOutage> outages, int outagesStarted,
                        int outagesEnded, OptionalDouble mttrMillis, OptionalDouble mtbfMillis,
                        OptionalDouble mttdMillis) {

    /** Validates and copies. */
    public SlaResult {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(sla, "sla");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(noDataPolicy, "noDataPolicy");
        Objects.requireNonNull(agreed, "agreed");
        Objects.requireNonNull(availability, "availability");
        Objects.requireNonNull(mttrMillis, "mttrMillis");
        Objects.requireNonNull(mtbfMillis, "mtbfMillis");
        Objects.requireNonNull(mttdMillis, "mttdMillis");
        maintenance = List.copyOf(maintenance);
        objectives = List.copyOf(objectives);
        outages = List.copyOf(outages);
        if (countedUntilMillis < fromMillis || countedUntilMillis > toMillis) {
            throw new IllegalArgumentException("countedUntilMillis " + countedUntilMillis + " must lie in ["
                    + fromMillis + ", " + toMillis + "]");
        }
        if (agreedMillis != agreed.totalMillis() || downtimeMillis < 0 || downtimeMillis > agreedMillis) {
            throw new IllegalArgumentException("downtime " + downtimeMillis + " must lie within agreed time "
                    + agreedMillis);
        }
    }

    /** Agreed time that was up: {@code agreedMillis − downtimeMillis}. */
    public long upMillis() {
        return agreedMillis - downtimeMillis;
    }
}
