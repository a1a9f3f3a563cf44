package dev.vigil.benchmarks.reliability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one trial found.
 *
 * @param kind            what the trial did
 * @param number          its number within its kind, from 1
 * @param samples         samples the agent journaled in the trial (all incarnations)
 * @param collectorHeld   sample entries the collector's journal holds for the agent
 * @param lost            journaled samples the agent counts delivered, neither at the collector nor
 *                        covered by a gap notice
 * @param pending         journaled samples the agent has still to send (above its acknowledged mark)
 * @param doubled         extra copies at the collector (by index or by scheduled run)
 * @param collectorOnly   collector entries missing from the agent's journal
 * @param absorbedResends the collector's {@code vigil_ingest_duplicates_total} over all its incarnations
 * @param droppedByAgent  the agent's {@code vigil_agent_samples_dropped_total} over all its incarnations
 * @param droppedCounted  dropped samples the collector learnt of through gap notices
 * @param agentKills      SIGKILLs of the agent
 * @param collectorKills  SIGKILLs of the collector
 * @param corrupt         restarts that failed and journals that failed to open or read to the end
 * @param crashes         processes that died without being killed or stopped
 * @param problems        what went wrong, one sentence each (empty when nothing did)
 * @param seconds         how long the trial took
 * @param details         figures of this kind of trial (outage, stall, disk-full), in report order
 */
record TrialResult(
        TrialKind kind,
        int number,
        long samples,
        long collectorHeld,
        long lost,
        long pending,
        long doubled,
        long collectorOnly,
        long absorbedResends,
        long droppedByAgent,
        long droppedCounted,
        int agentKills,
        int collectorKills,
        int corrupt,
        int crashes,
        List<String> problems,
        double seconds,
        Map<String, Object> details) {

    /** Copies the collections, keeping the details' order. */
    TrialResult {
        Objects.requireNonNull(kind, "kind");
        problems = List.copyOf(problems);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Drops the agent reported that no gap notice at the collector accounts for. */
    long droppedUncounted() {
        return Math.max(0, droppedByAgent - droppedCounted);
    }

    /** Whether the trial met every goal. */
    boolean passed() {
        return lost == 0 && doubled == 0 && droppedUncounted() == 0 && corrupt == 0 && crashes == 0
                && problems.isEmpty();
    }

    /** The trial's name in progress lines and the report, e.g. {@code agent-kill#2}. */
    String label() {
        return kind.label() + "#" + number;
    }
}
