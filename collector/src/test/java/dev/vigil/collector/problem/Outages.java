package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKeys;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.state.CheckKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Resolved outage incidents built directly, as the incident book records them. */
final class Outages {
    private Outages() {
    }

    /** An outage of {@code service} seen by {@code agents}, starting at {@code start}, failing with {@code detail}. */
    static Incident of(String service, String start, String detail, String... agents) {
        long started = Instant.parse(start).toEpochMilli();
        List<CheckKey> checks = java.util.Arrays.stream(agents).map(agent -> new CheckKey(agent, service + "-https"))
                .toList();
        return new Incident(IncidentKeys.serviceOutage(service, started), IncidentKind.OUTAGE, service + " is down",
                Optional.of(service), checks, IncidentStatus.RESOLVED, Level.HIGH, Level.HIGH, Priority.P1, started,
                started + 15_000, OptionalLong.of(started + 300_000), Optional.empty(), Optional.empty(), detail,
                Map.of(), 1, List.of(), -1);
    }

    /** An outage of {@code service} from edge-1 failing with a timeout. */
    static Incident of(String service, String start) {
        return of(service, start, "TIMEOUT: no answer within 5s", "edge-1");
    }
}
