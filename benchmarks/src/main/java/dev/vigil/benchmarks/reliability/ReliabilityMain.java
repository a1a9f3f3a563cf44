package dev.vigil.benchmarks.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reliability harness's command line, started by {@code benchmarks/reliability.sh} (which builds
 * the jars, reads the launcher's JVM flags, mounts the tmpfs and cleans up). Runs the trials of the
 * plan, prints a progress line per event and the report as the last line of standard output, and
 * exits 0 only when nothing was lost, doubled, dropped uncounted or corrupt.
 */
public final class ReliabilityMain {
    /** The exit status when a goal was missed. */
    static final int EXIT_FAILED = 1;
    /** The exit status for a usage error. */
    static final int EXIT_USAGE = 2;

    private ReliabilityMain() {
    }

    /** Runs the harness; see {@code benchmarks/reliability.sh --help} for the options. */
    public static void main(String[] args) {
        // Whatever ends this JVM, the agents and collectors it started end with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroyForcibly), "reliability-cleanup"));
        ReliabilityReport report;
        try {
            report = run(options(args));
        } catch (IllegalArgumentException e) {
            Progress.say("error: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        Progress.result(report.json());
        System.exit(report.passed() ? 0 : EXIT_FAILED);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                options.put("quick", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete argument '" + args[i] + "'");
            }
        }
        return options;
    }

    private static ReliabilityReport run(Map<String, String> options) {
        long started = System.nanoTime();
        boolean quick = options.containsKey("quick");
        ReliabilityPlan plan = (quick ? ReliabilityPlan.quick() : ReliabilityPlan.full()).with(options);
        long seed = options.containsKey("seed") ? parseSeed(options.get("seed")) : ThreadLocalRandom.current().nextLong();
        Launch launch = launch(options);
        Progress.say(String.format("%s run, seed %d (--seed %d repeats its choices); %d tcp checks every %d ms "
                        + "(%.0f samples/s); kills: agent %d, collector %d, both %d; outage %d s; stall %d s; "
                        + "work directory %s", quick ? "quick" : "full", seed, seed, plan.checks(),
                plan.interval().toMillis(), plan.samplesPerSecond(), plan.agentKills(), plan.collectorKills(),
                plan.bothKills(), plan.outage().toSeconds(), plan.stall().toSeconds(), launch.workDir()));
        List<TrialResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (TcpTarget target = TcpTarget.start()) {
            TrialRunner runner = new TrialRunner(launch, plan, target, seed);
            Map<TrialKind, Runnable> trials = new LinkedHashMap<>();
            trials.put(TrialKind.AGENT_KILL, () -> results.addAll(runner.killTrials(TrialKind.AGENT_KILL, plan.agentKills())));
            trials.put(TrialKind.COLLECTOR_KILL,
                    () -> results.addAll(runner.killTrials(TrialKind.COLLECTOR_KILL, plan.collectorKills())));
            trials.put(TrialKind.BOTH_KILL, () -> results.addAll(runner.killTrials(TrialKind.BOTH_KILL, plan.bothKills())));
            trials.put(TrialKind.OUTAGE, () -> results.add(runner.outageTrial()));
            trials.put(TrialKind.STALL, () -> results.add(runner.stallTrial()));
            trials.put(TrialKind.DISK_FULL, () -> results.add(runner.diskFullTrial()));
            trials.forEach((kind, trial) -> {
                if (!plan.trials().contains(kind)) {
                    return;
                }
                try {
                    trial.run();
                } catch (RuntimeException e) {
                    errors.add(kind.label() + ": " + e);
                    Progress.say(kind.label() + ": ERROR the trial could not run: " + e);
                }
            });
        }
        ReliabilityReport report = new ReliabilityReport(quick ? "quick" : "full", seed, plan, results, errors,
                (System.nanoTime() - started) / 1e9);
        Progress.say(String.format("%s: %d trials, %,d samples, lost %d, doubled %d, dropped uncounted %d, "
                        + "corrupt on reopen %d, in %.0f s", report.passed() ? "PASSED" : "FAILED", results.size(),
                results.stream().mapToLong(TrialResult::samples).sum(), report.lost(), report.doubled(),
                report.droppedUncounted(), report.corrupt(), report.elapsedSeconds()));
        return report;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed takes a whole number (was '" + text + "')");
        }
    }

    private static Launch launch(Map<String, String> options) {
        Optional<Path> diskFull = Optional.ofNullable(options.get("disk-full-dir")).map(Path::of)
                .filter(Files::isDirectory);
        return new Launch(path(options, "java"), path(options, "agent-jar"), path(options, "collector-jar"),
                words(options.getOrDefault("launcher-flags", "")), words(options.getOrDefault("agent-flags", "")),
                environment(options.getOrDefault("agent-env", "")), path(options, "work-dir"), diskFull);
    }

    private static Path path(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return Path.of(value).toAbsolutePath();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static Map<String, String> environment(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : words(text)) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--agent-env takes NAME=value pairs (was '" + pair + "')");
            }
            env.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return env;
    }
}
