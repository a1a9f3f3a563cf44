package dev.vigil.collector.incident;

/** What happened to an incident; each kind is delivered to each webhook at most once. */
public enum IncidentEventType {
    /** The check went down. */
    OPENED("opened"),
    /** The check recovered. */
    RESOLVED("resolved");

    private final String label;

    IncidentEventType(String label) {
        this.label = label;
    }

    /** The short form used in webhook ids and the API: {@code opened}, {@code resolved}. */
    public String label() {
        return label;
    }

    /** The payload's {@code type}: {@code incident.opened}, {@code incident.resolved}. */
    public String type() {
        return "incident." + label;
    }
}
