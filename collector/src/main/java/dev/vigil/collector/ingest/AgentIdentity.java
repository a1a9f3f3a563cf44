package dev.vigil.collector.ingest;

import java.util.Objects;

/**
 * Who sent an ingest request, as its credentials prove: the configured agent and its tenant. Put in
 * the routing context under {@link RequestEdge#AGENT} and {@link RequestEdge#TENANT}.
 *
 * @param agent  the configured agent's name
 * @param tenant the agent's tenant
 */
public record AgentIdentity(String agent, String tenant) {
    /** Requires both. */
    public AgentIdentity {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(tenant, "tenant");
    }
}
