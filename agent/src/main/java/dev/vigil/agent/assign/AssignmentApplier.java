package dev.vigil.agent.assign;

import dev.vigil.agent.probe.ProbeFactory;
import dev.vigil.agent.schedule.CheckScheduler;
import dev.vigil.agent.schedule.ScheduledCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the scheduler from the assignment it runs to a new one, touching only what changed: a check
 * whose definition is unchanged keeps running as it was (same runner, same slots); a changed one is
 * replaced and runs from its next slot; a removed one stops; a new one starts at its next slot.
 *
 * <p>A local check wins over an assigned one with the same id: the assigned one is refused, logged
 * and counted, and the rest of the assignment applies. Every probe of the new assignment is built
 * before anything changes, so an assignment that cannot be used at all leaves the old one running.
 */
public final class AssignmentApplier {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentApplier.class);

    private final CheckScheduler scheduler;
    private final ProbeFactory probes;
    private final Set<String> localIds;
    private final Map<String, AssignedCheck> running = new HashMap<>();
    private Optional<String> version = Optional.empty();

    /**
     * An applier scheduling on {@code scheduler} the probes {@code probes} builds; {@code localIds} are
     * the ids of the agent's local checks, which assigned checks may not take.
     */
    public AssignmentApplier(CheckScheduler scheduler, ProbeFactory probes, Set<String> localIds) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.localIds = Set.copyOf(localIds);
    }

    /** What applying an assignment did, by check id. */
    public record Applied(String version, List<String> added, List<String> replaced, List<String> removed,
            List<String> unchanged, List<String> refused) {

        /** Copies the lists. */
        public Applied {
            Objects.requireNonNull(version, "version");
            added = List.copyOf(added);
            replaced = List.copyOf(replaced);
            removed = List.copyOf(removed);
            unchanged = List.copyOf(unchanged);
            refused = List.copyOf(refused);
        }

        /** The assigned checks running now. */
        public int running() {
            return added.size() + replaced.size() + unchanged.size();
        }
    }

    /** The version running now, if any assignment was applied. */
    public synchronized Optional<String> version() {
        return version;
    }

    /**
     * Applies {@code assignment}.
     *
     * @throws IllegalArgumentException when the probe of a new or changed check cannot be built; nothing
     *                                  has changed then
     */
    public synchronized Applied apply(Assignment assignment) {
        Map<String, ScheduledCheck> toSchedule = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, AssignedCheck> next = new HashMap<>();
        for (AssignedCheck check : assignment.checks()) {
            if (localIds.contains(check.id())) {
                refused.add(check.id());
                continue;
            }
            next.put(check.id(), check);
            AssignedCheck current = running.get(check.id());
            if (current != null && current.definition().equals(check.definition())) {
                unchanged.add(check.id());
                continue;
            }
            // Built first, all of them: a probe that cannot be built must leave the running set as it is.
            toSchedule.put(check.id(), new ScheduledCheck(check.id(), check.config().interval(),
                    probes.create(check.config())));
            (current == null ? added : replaced).add(check.id());
        }
        List<String> removed = new ArrayList<>();
        for (String id : running.keySet()) {
            if (!next.containsKey(id)) {
                removed.add(id);
            }
        }
        removed.sort(null);
        for (String id : removed) {
            scheduler.unschedule(id);
        }
        toSchedule.values().forEach(scheduler::schedule);
        running.clear();
        running.putAll(next);
        version = Optional.of(assignment.version());
        if (!refused.isEmpty()) {
            LOG.warn("Assignment {}: checks {} are not run because local checks have their ids; the local ones run",
                    assignment.version(), refused);
        }
        Applied applied = new Applied(assignment.version(), added, replaced, removed, unchanged, refused);
        LOG.info("Assignment {} applied: {} running (added {}, replaced {}, unchanged {}), removed {}",
                assignment.version(), applied.running(), added, replaced, unchanged.size(), removed);
        return applied;
    }
}
