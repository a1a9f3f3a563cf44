package dev.vigil.collector.incident.sink;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.state.CheckKey;
import java.time.Duration;
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

    /** {@code text} cut to {@code maxChars} characters, the last one an ellipsis when it was longer. */
    static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars - 1) + "…";
    }
}
