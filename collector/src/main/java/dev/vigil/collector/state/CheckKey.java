package dev.vigil.collector.state;

import java.util.Objects;

/**
 * Identifies a check as the collector sees it: the agent that probes it and the agent's check id.
 * The same check id from two agents is two checks.
 *
 * @param agent the agent's configured name
 * @param check the check id carried by the agent's samples
 */
public record CheckKey(String agent, String check) implements Comparable<CheckKey> {

    /** Validates that both parts are present. */
    public CheckKey {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(check, "check");
        if (agent.isEmpty() || check.isEmpty()) {
            throw new IllegalArgumentException("agent and check must not be empty");
        }
    }

    /** The key as {@code <agent>/<check>}, the form the API and incident keys use. */
    public String id() {
        return agent + "/" + check;
    }

    @Override
    public int compareTo(CheckKey other) {
        int byAgent = agent.compareTo(other.agent);
        return byAgent != 0 ? byAgent : check.compareTo(other.check);
    }

    @Override
    public String toString() {
        return id();
    }
}
