package dev.vigil.collector.engine;

import dev.vigil.collector.sla.TimelineState;
import java.util.List;
import java.util.Objects;

/**
 * A service's state now, and that of each of its checks.
 *
 * @param service  the service's name
 * @param state    UP, DOWN or NO_DATA by the composition rules; UNKNOWN while none of its check
 *                 locations has reported
 * @param flapping whether any of its check locations is flapping
 * @param checks   each check's state, with its locations', in catalogue order
 */
public record ServiceStatus(String service, TimelineState state, boolean flapping, List<CheckState> checks) {

    /** Validates and copies. */
    public ServiceStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        checks = List.copyOf(checks);
    }

    /**
     * One check of the service now.
     *
     * @param check     the check id
     * @param quorum    how many locations must see it DOWN
     * @param state     the check's state by quorum
     * @param locations each agent running it and the state it sees, in catalogue order
     */
    public record CheckState(String check, int quorum, TimelineState state, List<LocationState> locations) {
        /** Validates and copies. */
        public CheckState {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(state, "state");
            locations = List.copyOf(locations);
        }
    }

    /**
     * One agent's view of a check now.
     *
     * @param agent    the agent
     * @param state    its state: UNKNOWN before enough samples, NO_DATA when silent
     * @param flapping whether it is flapping
     */
    public record LocationState(String agent, TimelineState state, boolean flapping) {
        /** Validates. */
        public LocationState {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(state, "state");
        }
    }
}
