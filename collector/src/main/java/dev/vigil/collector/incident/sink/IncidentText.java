package dev.vigil.collector.incident.sink;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.state.CheckKey;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/** How the sinks word an incident's fields for people (chat messages, ticket text). */
final class IncidentText {
    private IncidentText() {
    }

    /** {@code open}, {@code open, acknowledged by ana} or {@code resolved}. */
    static String status(Incident incident) {
        String status = incident.status().label();
        return incident.acknowledgement()
                .map(ack -> status + ", acknowledged" + (ack.by().isEmpty() ? "" : " by " + ack.by()))
                .orElse(status);
    }

    /** The check locations as {@code agent/check, ...}, or a dash when there are none. */
    static String checks(Incident incident) {
        return incident.checks().isEmpty() ? "–"
                : incident.checks().stream().map(CheckKey::id).collect(Collectors.joining(", "));
    }

    /** {@code 45s}, {@code 12m 5s} or {@code 3h 0m 12s}; a negative span is 0 s. */
    static String duration(long millis) {
        Duration duration = Duration.ofMillis(Math.max(0, millis));
        if (duration.toHours() > 0) {
            return duration.toHours() + "h " + duration.toMinutesPart() + "m " + duration.toSecondsPart() + "s";
        }
        return duration.toMinutes() > 0 ? duration.toMinutes() + "m " + duration.toSecondsPart() + "s"
                : duration.toSecondsPart() + "s";
    }

    /**
     * The description of a ticket (a ServiceNow record, a Jira issue): what failed, then the service, the
     * checks, the priority with impact and urgency, the start, the detection and the incident key.
     */
    static String ticketDescription(Incident incident) {
        StringBuilder text = new StringBuilder(incident.detail().isBlank() ? incident.title() : incident.detail())
                .append("\n\n");
        incident.service().ifPresent(service -> text.append("Service: ").append(service).append('\n'));
        text.append("Checks: ").append(ticketChecks(incident)).append('\n')
                .append("Priority: ").append(incident.priority()).append(" (impact ").append(incident.impact().label())
                .append(", urgency ").append(incident.urgency().label()).append(")\n")
                .append("Started: ").append(Instant.ofEpochMilli(incident.startedEpochMillis())).append('\n')
                .append("Detected: ").append(Instant.ofEpochMilli(incident.detectedEpochMillis())).append('\n')
                .append("Vigil incident: ").append(incident.key());
        return text.toString();
    }

    /**
     * The note an update adds to a ticket (a work note, a comment): the update's number and latest timeline
     * entry, the checks, the priority, and the event id, which lets people see a note that a retry after
     * a lost response wrote twice.
     */
    static String ticketUpdate(IncidentEvent event) {
        Incident incident = event.incident();
        String latest = incident.timeline().isEmpty() ? "updated"
                : incident.timeline().get(incident.timeline().size() - 1).text();
        return "Vigil update " + event.sequence() + ": " + latest + "\n"
                + "Checks: " + ticketChecks(incident) + "\n"
                + "Priority: " + incident.priority() + "\n"
                + "[" + event.eventId() + "]";
    }

    /** What recovered, for a resolution note: the service, else the checks, else the title. */
    static String recovered(Incident incident) {
        return incident.service().orElseGet(() -> incident.checks().isEmpty() ? incident.title() : checks(incident));
    }

    /** {@code text} cut to {@code maxChars} characters, the last one an ellipsis when it was longer. */
    static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars - 1) + "…";
    }

    /** Tickets say "none" where chat messages show a dash. */
    private static String ticketChecks(Incident incident) {
        return incident.checks().isEmpty() ? "none" : checks(incident);
    }
}
