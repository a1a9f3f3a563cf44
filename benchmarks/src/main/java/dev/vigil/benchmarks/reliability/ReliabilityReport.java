package dev.vigil.benchmarks.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's result as one JSON object: totals over every trial first (the figures the issue asks
 * for), then each trial's own figures.
 *
 * @param mode           {@code quick} or {@code full}
 * @param seed           the seed of the random moments
 * @param plan           what was run
 * @param trials         each trial's result, in the order run
 * @param errors         trials that could not run at all, each with why
 * @param elapsedSeconds the whole run
 */
record ReliabilityReport(String mode, long seed, ReliabilityPlan plan, List<TrialResult> trials, List<String> errors,
        double elapsedSeconds) {

    /** Copies the lists. */
    ReliabilityReport {
        trials = List.copyOf(trials);
        errors = List.copyOf(errors);
    }

    long lost() {
        return trials.stream().mapToLong(TrialResult::lost).sum();
    }

    long doubled() {
        return trials.stream().mapToLong(TrialResult::doubled).sum();
    }

    long droppedUncounted() {
        return trials.stream().mapToLong(TrialResult::droppedUncounted).sum();
    }

    long corrupt() {
        return trials.stream().mapToLong(TrialResult::corrupt).sum();
    }

    /** Whether every goal was met: the exit status is 0 exactly then. */
    boolean passed() {
        return errors.isEmpty() && trials.stream().allMatch(TrialResult::passed);
    }

    /** The report as one line of JSON. */
    String json() {
        JsonObject json = new JsonObject()
                .put("trials", trials.size())
                .put("samples", trials.stream().mapToLong(TrialResult::samples).sum())
                .put("lost", lost())
                .put("pending", trials.stream().mapToLong(TrialResult::pending).sum())
                .put("doubled", doubled())
                .put("absorbed_resends", trials.stream().mapToLong(TrialResult::absorbedResends).sum())
                .put("dropped_counted", trials.stream().mapToLong(TrialResult::droppedCounted).sum())
                .put("dropped_uncounted", droppedUncounted())
                .put("corrupt_on_reopen", corrupt())
                .put("agent_kills", trials.stream().mapToInt(TrialResult::agentKills).sum())
                .put("collector_kills", trials.stream().mapToInt(TrialResult::collectorKills).sum())
                .put("both_kills", trials.stream().filter(t -> t.kind() == TrialKind.BOTH_KILL)
                        .mapToInt(TrialResult::agentKills).sum());
        JsonObject byKind = new JsonObject();
        for (TrialKind kind : TrialKind.values()) {
            long samples = trials.stream().filter(t -> t.kind() == kind).mapToLong(TrialResult::samples).sum();
            if (trials.stream().anyMatch(t -> t.kind() == kind)) {
                byKind.put(kind.label(), samples);
            }
        }
        json.put("samples_by_trial", byKind);
        Optional<TrialResult> outage = first(TrialKind.OUTAGE);
        json.put("outage_seconds", outage.map(t -> t.details().get("outage_seconds")).orElse(null))
                .put("drain_seconds", outage.map(t -> t.details().get("drain_seconds")).orElse(null))
                .put("drain_first_ack_seconds", outage.map(t -> t.details().get("first_ack_seconds")).orElse(null))
                .put("agent_rss_mib", outage.map(t -> object(t.details().get("agent_rss_mib"))).orElse(null))
                .put("agent_rss_anon_mib", outage.map(t -> object(t.details().get("agent_rss_anon_mib"))).orElse(null));
        Optional<TrialResult> stall = first(TrialKind.STALL);
        json.put("stall_seconds", stall.map(t -> t.details().get("stall_seconds")).orElse(null))
                .put("stall_recovery_seconds", stall.map(t -> t.details().get("recovery_seconds")).orElse(null));
        json.put("disk_full", first(TrialKind.DISK_FULL).map(t -> {
            JsonObject disk = object(t.details());
            disk.put("dropped_counted", t.droppedCounted()).put("dropped_uncounted", t.droppedUncounted());
            disk.remove("examples");
            return disk;
        }).orElse(null));
        json.put("crashes", trials.stream().mapToInt(TrialResult::crashes).sum())
                .put("passed", passed())
                .put("mode", mode)
                .put("drain_restart", plan.drainRestart())
                .put("seed", seed)
                .put("checks", plan.checks())
                .put("samples_per_second", plan.samplesPerSecond())
                .put("elapsed_seconds", TrialRig.round1(elapsedSeconds));
        JsonArray perTrial = new JsonArray();
        for (TrialResult trial : trials) {
            JsonObject one = new JsonObject()
                    .put("trial", trial.label())
                    .put("passed", trial.passed())
                    .put("seconds", TrialRig.round1(trial.seconds()))
                    .put("samples", trial.samples())
                    .put("collector_held", trial.collectorHeld())
                    .put("lost", trial.lost())
                    .put("pending", trial.pending())
                    .put("doubled", trial.doubled())
                    .put("absorbed_resends", trial.absorbedResends())
                    .put("dropped", trial.droppedByAgent())
                    .put("dropped_counted", trial.droppedCounted())
                    .put("agent_kills", trial.agentKills())
                    .put("collector_kills", trial.collectorKills())
                    .put("corrupt_on_reopen", trial.corrupt());
            if (!trial.problems().isEmpty()) {
                // The first line of each is enough here; the progress lines carry the log tails.
                one.put("problems", new JsonArray(trial.problems().stream().map(p -> p.lines().findFirst().orElse(p))
                        .toList()));
            }
            perTrial.add(one);
        }
        json.put("per_trial", perTrial);
        if (!errors.isEmpty()) {
            json.put("errors", new JsonArray(errors));
        }
        return json.encode();
    }

    private Optional<TrialResult> first(TrialKind kind) {
        return trials.stream().filter(t -> t.kind() == kind).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static JsonObject object(Object map) {
        // A copy: the details are unmodifiable, and the report adds to them.
        return map == null ? null : new JsonObject(new LinkedHashMap<>((Map<String, Object>) map));
    }
}
