package dev.vigil.collector.config;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.Priority;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What every sink has: its name, the attempt timeout and which incidents it receives.
 *
 * @param name        1..64 characters of {@code [A-Za-z0-9._-]}, unique among sinks; part of the outbox's
 *                    records, so renaming a sink makes it a new one
 * @param timeout     how long one attempt may take, name resolution and connect included, &gt; 0
 * @param minPriority the least urgent priority it receives (P5 = all)
 * @param services    the services whose incidents it receives; empty for all (check incidents have no
 *                    service and go only to sinks without this filter)
 * @param kinds       the kinds of incident it receives; empty for all
 */
public record SinkSettings(String name, Duration timeout, Priority minPriority, Set<String> services,
        Set<IncidentKind> kinds) {
    /** The attempt timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Validates every field. */
    public SinkSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minPriority, "minPriority");
        services = Set.copyOf(services);
        kinds = Set.copyOf(kinds);
        if (!AgentConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sink name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("sink timeout must be > 0 (was " + timeout + ")");
        }
    }

    /** A sink named {@code name} with the default timeout that receives every incident. */
    public static SinkSettings named(String name) {
        return new SinkSettings(name, DEFAULT_TIMEOUT, Priority.P5, Set.of(), Set.of());
    }

    /** Whether a sink with these settings receives {@code incident}. */
    public boolean routes(Incident incident) {
        return incident.priority().atLeast(minPriority)
                && (kinds.isEmpty() || kinds.contains(incident.kind()))
                && (services.isEmpty() || incident.service().map(services::contains).orElse(false));
    }
}
