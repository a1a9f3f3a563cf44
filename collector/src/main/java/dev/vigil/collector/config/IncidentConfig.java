package dev.vigil.collector.config;

import dev.vigil.collector.incident.IncidentPolicy;
import dev.vigil.collector.incident.delivery.EgressPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code incidents:} section of {@code collector.yaml}: how incidents are prioritised and followed
 * up, where sinks may connect, and the token of the inbound Alertmanager endpoint.
 *
 * @param policy            priorities, reminders, signals, damping
 * @param egress            which addresses sinks may connect to
 * @param alertmanagerToken the bearer token Alertmanager must send to {@code POST /api/v1/alerts/alertmanager};
 *                          empty keeps that endpoint closed
 */
public record IncidentConfig(IncidentPolicy policy, EgressPolicy egress, Optional<Secret> alertmanagerToken) {
    /** The defaults: {@link IncidentPolicy#DEFAULT}, every special address blocked, no inbound endpoint. */
    public static final IncidentConfig DEFAULT = new IncidentConfig(IncidentPolicy.DEFAULT, EgressPolicy.DEFAULT,
            Optional.empty());

    /** Validates presence. */
    public IncidentConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(alertmanagerToken, "alertmanagerToken");
    }
}
