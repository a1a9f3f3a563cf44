package dev.vigil.benchmarks.probes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where everything the benchmark runs is, the JVM flags it runs Vigil with, and how long each part
 * lasts.
 *
 * @param javaBinary     the {@code java} that runs the agent and the collector
 * @param agentJar       {@code agent/target/vigil-agent.jar}
 * @param collectorJar   {@code collector/target/vigil-collector.jar}
 * @param blackbox       the {@code prometheus-blackbox-exporter} binary
 * @param nginx          the {@code nginx} binary
 * @param refprobe       the compiled reference prober ({@code benchmarks/probes/refprobe.c})
 * @param cert           the targets' certificate (PEM), also the probers' CA
 * @param key            its private key (PEM)
 * @param workDir        the run's temporary directory: configurations, journals, logs
 * @param resultDir      where the result files go
 * @param launcherFlags  the runtime JVM flags of the {@code ./vigil} launcher
 * @param tunedFlags     the agent JVM flags this benchmark recommends, added after the launcher's
 * @param tunedEnv       environment variables that go with {@code tunedFlags}
 * @param plan           how long each part runs
 */
record BenchSettings(
        Path javaBinary,
        Path agentJar,
        Path collectorJar,
        Path blackbox,
        Path nginx,
        Path refprobe,
        Path cert,
        Path key,
        Path workDir,
        Path resultDir,
        List<String> launcherFlags,
        List<String> tunedFlags,
        Map<String, String> tunedEnv,
        Plan plan) {

    /** Copies the lists. */
    BenchSettings {
        Objects.requireNonNull(plan, "plan");
        launcherFlags = List.copyOf(launcherFlags);
        tunedFlags = List.copyOf(tunedFlags);
        tunedEnv = Map.copyOf(tunedEnv);
    }

    /** The command line of a Vigil JVM: {@code java <launcher flags> [<tuned flags>] -jar <jar> <args>}. */
    List<String> vigilCommand(Path jar, boolean tuned, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(launcherFlags);
        if (tuned) {
            command.addAll(tunedFlags);
        }
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    /** The environment a Vigil agent JVM gets on top of the benchmark's. */
    Map<String, String> vigilEnv(boolean tuned) {
        return tuned ? tunedEnv : Map.of();
    }

    /**
     * How long each part of the run lasts.
     *
     * @param warmup             the least probing before a throughput window opens (connection pools)
     * @param jvmWarmup          the least for a JVM prober (the JIT)
     * @param warmupLimit        the most: a window opens once the prober's CPU use is steady (two
     *                           consecutive slices within 10 %) or after this long
     * @param settleSlice        the slice over which CPU use is compared while warming up
     * @param window             a throughput measuring window
     * @param concurrency        concurrent {@code /probe} requests of the driver
     * @param naturalInterval    the interval of the agent's checks in its natural mode
     * @param naturalRates       probes per second asked of the agent in its natural mode, per protocol
     * @param latencyWarmup      latency rounds before the measured ones, per condition
     * @param latencySamples     samples per prober, protocol and condition (idle, loaded)
     * @param latencyPeriod      the latency round: each prober probes each protocol once per period
     * @param burners            CPU burners ({@code sha256sum /dev/zero}) while loaded
     * @param scheduleChecks     checks of the schedule run
     * @param scheduleInterval   their interval
     * @param settleIntervals    intervals an agent with many checks runs before it is measured (the
     *                           first run of every check, class loading, the JIT)
     * @param scheduleIntervals  intervals measured after those
     * @param smallChecks        checks of the small memory run
     * @param smallWindow        how long the small memory run is sampled after its first interval
     * @param compareLauncher    also run the natural mode and the memory runs with the launcher's flags alone
     */
    record Plan(
            Duration warmup,
            Duration jvmWarmup,
            Duration warmupLimit,
            Duration settleSlice,
            Duration window,
            int concurrency,
            Duration naturalInterval,
            Map<ProbeProtocol, Integer> naturalRates,
            int latencyWarmup,
            int latencySamples,
            Duration latencyPeriod,
            int burners,
            int scheduleChecks,
            Duration scheduleInterval,
            int settleIntervals,
            int scheduleIntervals,
            int smallChecks,
            Duration smallWindow,
            boolean compareLauncher) {

        /** Copies the map. */
        Plan {
            naturalRates = Map.copyOf(naturalRates);
        }

        /**
         * The rates of the agent's natural mode: well within what one core does, so that the agent
         * never falls behind on a quiet 2-core machine that also runs nginx and the collector.
         */
        private static final Map<ProbeProtocol, Integer> NATURAL_RATES =
                Map.of(ProbeProtocol.TCP, 1000, ProbeProtocol.HTTP, 500, ProbeProtocol.HTTPS, 100);

        /** The full run: about 15 minutes (3 more with Vigil's {@code /probe} endpoint). */
        static Plan full() {
            return new Plan(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(90), Duration.ofSeconds(5),
                    Duration.ofSeconds(12), 16, Duration.ofSeconds(1), NATURAL_RATES,
                    50, 500, Duration.ofMillis(100), 4,
                    10_000, Duration.ofSeconds(10), 3, 6,
                    1_000, Duration.ofSeconds(10), true);
        }

        /** The quick run: under 3 minutes, noisier, schedule over 2 intervals, no launcher-flag comparison. */
        static Plan quick() {
            return new Plan(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), 16, Duration.ofSeconds(1), NATURAL_RATES,
                    10, 100, Duration.ofMillis(100), 4,
                    10_000, Duration.ofSeconds(10), 1, 2,
                    1_000, Duration.ofSeconds(3), false);
        }
    }
}
