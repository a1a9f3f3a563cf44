package dev.vigil.collector.state;

/**
 * How many consecutive samples it takes to change a check's state.
 *
 * @param failuresToOpen   consecutive failed samples that make a check DOWN, 1..100
 * @param successesToClose consecutive successful samples that make a check UP, 1..100
 */
public record Thresholds(int failuresToOpen, int successesToClose) {
    /** The largest value either threshold may take. */
    public static final int MAX = 100;
    /** Two failures to go down, two successes to come back: one bad sample is not an outage. */
    public static final Thresholds DEFAULT = new Thresholds(2, 2);

    /** Validates both thresholds. */
    public Thresholds {
        if (failuresToOpen < 1 || failuresToOpen > MAX) {
            throw new IllegalArgumentException("failuresToOpen must be 1.." + MAX + " (was " + failuresToOpen + ")");
        }
        if (successesToClose < 1 || successesToClose > MAX) {
            throw new IllegalArgumentException("successesToClose must be 1.." + MAX + " (was " + successesToClose + ")");
        }
    }
}
