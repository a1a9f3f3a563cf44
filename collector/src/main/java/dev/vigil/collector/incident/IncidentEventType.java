package dev.vigil.collector.incident;

/** What happened to an incident, as told to sinks. */
public enum IncidentEventType {
    /** It opened (or was unmuted): sinks create their alert, page or ticket. */
    OPENED("opened"),
    /** It escalated (more checks down, higher priority) or was acknowledged: sinks update theirs. */
    UPDATED("updated"),
    /** It is still open after the reminder interval: chat sinks post it again. */
    REMINDER("reminder"),
    /** It recovered: sinks resolve or close theirs. */
    RESOLVED("resolved");

    private final String label;

    IncidentEventType(String label) {
        this.label = label;
    }

    /** The short form used in event ids and the API: {@code opened}, {@code updated}, ... */
    public String label() {
        return label;
    }

    /** The webhook payload's {@code type}: {@code incident.opened}, ... */
    public String type() {
        return "incident." + label;
    }
}
