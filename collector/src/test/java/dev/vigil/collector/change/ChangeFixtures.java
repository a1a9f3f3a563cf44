package dev.vigil.collector.change;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.CatalogueLayer;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKeys;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The values the change tests share: a catalogue where web needs api and api needs db, and builders. */
final class ChangeFixtures {
    /** 2026-11-03T10:00:00Z, when the deploy of the scenario starts. */
    static final long DEPLOY = Instant.parse("2026-11-03T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final long DAY = 24 * 60 * MINUTE;

    static final CatalogueLayer SERVICES = CatalogueLayer.EMPTY
            .with(Service.named("db"))
            .with(new Service("api", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of("db"), Optional.empty(), List.of()))
            .with(new Service("web", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of("api"), Optional.empty(), List.of()));
    static final Catalogue CATALOGUE = new Catalogue(SERVICES, CatalogueLayer.EMPTY, "collector.yaml", 1);

    private ChangeFixtures() {
    }

    /** A change on {@code service} starting at {@code start}, recorded through the API. */
    static Change change(String service, long start, Optional<String> externalId) {
        return new Change("chg-1", service, "deploy " + service + " 1.2.3", "alice", start, OptionalLong.empty(),
                ChangeRisk.MEDIUM, "redeploy 1.2.2", externalId, true, "api", List.of(), start);
    }

    /** A resolved outage incident on {@code service} that started at {@code start}. */
    static Incident outage(String service, long start) {
        return new Incident(IncidentKeys.serviceOutage(service, start), IncidentKind.OUTAGE, service + " is down",
                Optional.of(service), List.of(), IncidentStatus.RESOLVED, Level.HIGH, Level.HIGH, Priority.P1, start,
                start + 15_000, OptionalLong.of(start + 5 * MINUTE), Optional.empty(), Optional.empty(), "TIMEOUT",
                Map.of(), 1, List.of(new IncidentNote(start + 15_000, "opened")), -1);
    }
}
