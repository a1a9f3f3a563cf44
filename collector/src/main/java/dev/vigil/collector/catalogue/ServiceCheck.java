package dev.vigil.collector.catalogue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One check of a service, run by one or more agents: the service sees it DOWN when at least
 * {@code quorum} of them see it DOWN.
 *
 * @param check       the check id the agents' samples carry, 1..128 of {@code [A-Za-z0-9._-]}
 * @param agents      the agents running it, at least one, each once
 * @param quorum      how many of {@code agents} must see the check DOWN, 1..{@code agents.size()}
 * @param noDataAfter how long after a sample's scheduled time without the next one the check is
 *                    NO_DATA at that agent, when set; otherwise the engine's default (3 × the interval)
 */
public record ServiceCheck(String check, List<String> agents, int quorum, Optional<Duration> noDataAfter) {

    /** Validates and copies. */
    public ServiceCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(noDataAfter, "noDataAfter");
        if (!Catalogue.CHECK_ID.matcher(check).matches()) {
            throw new IllegalArgumentException("check id must be 1..128 of [A-Za-z0-9._-] (was '" + check + "')");
        }
        agents = List.copyOf(agents);
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("check " + check + " needs at least one agent");
        }
        if (new HashSet<>(agents).size() != agents.size()) {
            throw new IllegalArgumentException("check " + check + " names an agent twice " + agents);
        }
        if (quorum < 1 || quorum > agents.size()) {
            throw new IllegalArgumentException("quorum of check " + check + " must be 1.." + agents.size()
                    + " (was " + quorum + ")");
        }
        noDataAfter.ifPresent(after -> {
            if (after.isZero() || after.isNegative()) {
                throw new IllegalArgumentException("noDataAfter of check " + check + " must be > 0 (was " + after
                        + ")");
            }
        });
    }
}
