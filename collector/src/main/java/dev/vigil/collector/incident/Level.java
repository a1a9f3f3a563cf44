package dev.vigil.collector.incident;

import java.util.Locale;

/** A level of impact or of urgency, the two axes of the ITIL priority matrix. */
public enum Level {
    /** Many users or a whole service, or it must be handled now. */
    HIGH,
    /** Some users or part of a service, or it must be handled soon. */
    MEDIUM,
    /** Few users, or it can wait. */
    LOW;

    /** The form used in configuration and JSON: {@code high}, {@code medium}, {@code low}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The number ITSM tools use for it (ServiceNow's impact and urgency): 1 high, 2 medium, 3 low. */
    public int number() {
        return ordinal() + 1;
    }
}
