package dev.vigil.benchmarks.reliability;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the harness does: how many kills of which kind, how long the outage and the stall last, how
 * many checks produce samples. {@link #quick()} is for CI, {@link #full()} for the figures in
 * {@code docs/reliability.md}; {@link #with} applies the command line's overrides.
 *
 * @param trials           which kinds of trial run
 * @param checks           {@code tcp} checks of the agent, each one sample per {@code interval}
 * @param interval         their interval
 * @param agentKills       SIGKILLs of the agent alone
 * @param collectorKills   SIGKILLs of the collector alone
 * @param bothKills        SIGKILLs of both at once
 * @param killsPerTrial    kills before a trial is closed and compared; more kills make more trials
 * @param killWindow       a kill comes at a random moment up to this long after the process is healthy
 * @param startupKillShare the share of kills (0..1) that come instead at a random moment of the
 *                         start-up (journal open, replay), before the process answers
 * @param warmup           normal operation before a trial's first disturbance
 * @param outage           how long the collector is down in the outage trial
 * @param stall            how long the collector is SIGSTOP'd in the stall trial
 * @param diskFillHold     how long the disk-full trial keeps the journal full after the first drop
 * @param diskHeadroomKib  free space the disk-full trial's ballast leaves above the agent's
 *                         {@code min_free}: what the journal fills before the agent drops
 * @param drainDeadline    the longest any drain or recovery may take before the trial fails
 * @param drainRestart     end each trial by starting the agent once more with a configuration that
 *                         adds almost no samples until its backlog is 0, so that every sample is at
 *                         the collector before the comparison; without it, the agent is stopped once
 *                         its backlog gauge read 0, and what it journaled after its last ack is
 *                         reported as pending
 */
record ReliabilityPlan(
        Set<TrialKind> trials,
        int checks,
        Duration interval,
        int agentKills,
        int collectorKills,
        int bothKills,
        int killsPerTrial,
        Duration killWindow,
        double startupKillShare,
        Duration warmup,
        Duration outage,
        Duration stall,
        Duration diskFillHold,
        int diskHeadroomKib,
        Duration drainDeadline,
        boolean drainRestart) {

    /** Validates ranges; copies the set. */
    ReliabilityPlan {
        trials = trials.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(trials));
        Objects.requireNonNull(interval, "interval");
        requirePositive("checks", checks);
        requireNotNegative("agent-kills", agentKills);
        requireNotNegative("collector-kills", collectorKills);
        requireNotNegative("both-kills", bothKills);
        requirePositive("kills-per-trial", killsPerTrial);
        requirePositive("disk-headroom-kib", diskHeadroomKib);
        if (startupKillShare < 0 || startupKillShare > 1) {
            throw new IllegalArgumentException("--startup-kill-share must be 0..1 (was " + startupKillShare + ")");
        }
        for (Duration duration : new Duration[] {interval, killWindow, outage, stall, diskFillHold, drainDeadline}) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("durations must be > 0 (was " + duration + ")");
            }
        }
    }

    /** The CI run: under 4 minutes on 2 cores. */
    static ReliabilityPlan quick() {
        return new ReliabilityPlan(EnumSet.allOf(TrialKind.class), 500, Duration.ofSeconds(1),
                3, 3, 2, 100, Duration.ofSeconds(3), 0.2, Duration.ofSeconds(1),
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(4), 256, Duration.ofSeconds(60), false);
    }

    /** The full run: 100 kills of each side, a 10-minute outage; about 40 minutes. */
    static ReliabilityPlan full() {
        return new ReliabilityPlan(EnumSet.allOf(TrialKind.class), 1000, Duration.ofSeconds(1),
                100, 100, 20, 25, Duration.ofSeconds(4), 0.15, Duration.ofSeconds(3),
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(20), 2048, Duration.ofSeconds(120), true);
    }

    /** This plan with the command line's {@code options} (names without {@code --}) applied. */
    ReliabilityPlan with(Map<String, String> options) {
        Set<TrialKind> only = trials;
        if (options.containsKey("only")) {
            only = EnumSet.noneOf(TrialKind.class);
            for (String label : options.get("only").split(",")) {
                only.add(TrialKind.of(label.trim()));
            }
        }
        return new ReliabilityPlan(only,
                integer(options, "checks", checks),
                duration(options, "interval", interval),
                integer(options, "agent-kills", agentKills),
                integer(options, "collector-kills", collectorKills),
                integer(options, "both-kills", bothKills),
                integer(options, "kills-per-trial", killsPerTrial),
                duration(options, "kill-window", killWindow),
                options.containsKey("startup-kill-share") ? number(options, "startup-kill-share") : startupKillShare,
                duration(options, "warmup", warmup),
                duration(options, "outage", outage),
                duration(options, "stall", stall),
                duration(options, "disk-fill-hold", diskFillHold),
                integer(options, "disk-headroom-kib", diskHeadroomKib),
                duration(options, "drain-deadline", drainDeadline),
                bool(options, "drain-restart", drainRestart));
    }

    /** Samples the checks produce per second. */
    double samplesPerSecond() {
        return checks * 1000.0 / interval.toMillis();
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number (was '" + value + "')");
        }
    }

    private static boolean bool(Map<String, String> options, String name, boolean fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + name + " takes true or false (was '" + value + "')");
        }
        return Boolean.parseBoolean(value);
    }

    private static double number(Map<String, String> options, String name) {
        String value = options.get(name);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number (was '" + value + "')");
        }
    }

    /** {@code 90}, {@code 90s}, {@code 1500ms}, {@code 10m}: a bare number is seconds. */
    static Duration duration(Map<String, String> options, String name, Duration fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60));
            }
            String seconds = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a duration such as 20, 20s, 500ms or 10m (was '"
                    + value + "')");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be >= 1 (was " + value + ")");
        }
    }

    private static void requireNotNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must be >= 0 (was " + value + ")");
        }
    }
}
