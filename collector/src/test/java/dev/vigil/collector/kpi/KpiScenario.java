package dev.vigil.collector.kpi;

import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.state.CheckKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A month of incidents counted by hand: November 2026 (UTC), judged at 2026-11-20T12:00Z with the default
 * targets (detect 2m = 120 s, acknowledge 30m = 1800 s, restore 4h = 14400 s). Times after the start are
 * in seconds: detected +d, acknowledged +a after detection, resolved +r after the start.
 *
 * <pre>
 * web  A  11-02 10:00  d 60   a 600   r 1800   detect met,    ack met,    restore met
 * web  B  11-05 08:00  d 180  a 2700  r 18000  detect missed, ack missed, restore missed
 * web  C  11-08 00:00  d 120  (none)  r 1200   detect met (at the target), ack not judged (resolved 1080 s
 *                                              after detection, within 1800 s, unacknowledged), restore met
 * web  D  11-12 00:00  d 30   a 1200  r 7200   all met
 * web  E  11-20 10:00  d 90   a 300   open     detect met, ack met, restore pending (2 h old, under 4 h)
 * web  F  10-31 23:00  d 600  a 60    r 60000  October: not counted
 * web  G  11-15 burn-rate incident              not an outage: not counted
 * api  H  11-20 06:00  d 60   (none)  open     detect met; ack missed (6 h − 60 s > 30m unacknowledged);
 *                                              restore missed (6 h > 4 h)
 * </pre>
 */
final class KpiScenario {
    static final long NOW = millis("2026-11-20T12:00:00Z");

    private KpiScenario() {
    }

    static List<Incident> incidents() {
        return List.of(
                outage("web", "2026-11-02T10:00:00Z", 60, OptionalLong.of(600), OptionalLong.of(1800)),
                outage("web", "2026-11-05T08:00:00Z", 180, OptionalLong.of(2700), OptionalLong.of(18000)),
                outage("web", "2026-11-08T00:00:00Z", 120, OptionalLong.empty(), OptionalLong.of(1200)),
                outage("web", "2026-11-12T00:00:00Z", 30, OptionalLong.of(1200), OptionalLong.of(7200)),
                outage("web", "2026-11-20T10:00:00Z", 90, OptionalLong.of(300), OptionalLong.empty()),
                outage("web", "2026-10-31T23:00:00Z", 600, OptionalLong.of(60), OptionalLong.of(60000)),
                incident(IncidentKind.BURN_RATE, "web", "2026-11-15T00:00:00Z", 5, OptionalLong.empty(),
                        OptionalLong.empty()),
                outage("api", "2026-11-20T06:00:00Z", 60, OptionalLong.empty(), OptionalLong.empty()));
    }

    static Incident outage(String service, String started, long detectedAfter, OptionalLong ackAfterDetection,
            OptionalLong resolvedAfter) {
        return incident(IncidentKind.OUTAGE, service, started, detectedAfter, ackAfterDetection, resolvedAfter);
    }

    static Incident incident(IncidentKind kind, String service, String started, long detectedAfter,
            OptionalLong ackAfterDetection, OptionalLong resolvedAfter) {
        long start = millis(started);
        long detected = start + detectedAfter * 1000;
        OptionalLong resolved = resolvedAfter.isPresent() ? OptionalLong.of(start + resolvedAfter.getAsLong() * 1000)
                : OptionalLong.empty();
        Optional<Acknowledgement> ack = ackAfterDetection.isPresent()
                ? Optional.of(new Acknowledgement(detected + ackAfterDetection.getAsLong() * 1000, "ann", "api"))
                : Optional.empty();
        return new Incident(kind.label() + " " + service + "@" + start, kind, service + " is down",
                Optional.of(service), List.of(new CheckKey("edge-1", service)),
                resolved.isPresent() ? IncidentStatus.RESOLVED : IncidentStatus.OPEN, Level.HIGH, Level.HIGH,
                Priority.P1, start, detected, resolved, ack, Optional.empty(), "TIMEOUT", Map.of(), 1,
                List.of(new IncidentNote(detected, "opened")), -1);
    }

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
