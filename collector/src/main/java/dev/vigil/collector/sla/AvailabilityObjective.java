package dev.vigil.collector.sla;

/**
 * The share of agreed service time the service must be up.
 *
 * @param target required availability, in (0, 1), e.g. 0.999
 */
public record AvailabilityObjective(double target) implements Objective {
    /** Validates. */
    public AvailabilityObjective {
        Objective.checkShare("availability target", target);
    }

    @Override
    public String kind() {
        return "availability";
    }
}
