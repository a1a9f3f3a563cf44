package dev.vigil.collector.change;

import java.util.Locale;

/** How risky a change was judged to be by whoever recorded it. */
public enum ChangeRisk {
    LOW,
    MEDIUM,
    HIGH;

    /** The name used in JSON and in annotation tags: {@code low}, {@code medium}, {@code high}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The risk named {@code text}.
     *
     * @throws IllegalArgumentException naming {@code field} when {@code text} is none of the labels
     */
    public static ChangeRisk parse(String text, String field) {
        for (ChangeRisk risk : values()) {
            if (risk.label().equals(text)) {
                return risk;
            }
        }
        throw new IllegalArgumentException(field + " must be low, medium or high (was '" + text + "')");
    }
}
