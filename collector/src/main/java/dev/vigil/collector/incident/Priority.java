package dev.vigil.collector.incident;

/** An incident's priority, P1 (most urgent) to P5, as the priority matrix gives it from impact and urgency. */
public enum Priority {
    /** Critical. */
    P1,
    /** High. */
    P2,
    /** Moderate. */
    P3,
    /** Low. */
    P4,
    /** Planning. */
    P5;

    /** 1 for P1 to 5 for P5. */
    public int number() {
        return ordinal() + 1;
    }

    /** Whether this priority is at least as urgent as {@code other} (P1 is at least as urgent as P3). */
    public boolean atLeast(Priority other) {
        return ordinal() <= other.ordinal();
    }
}
