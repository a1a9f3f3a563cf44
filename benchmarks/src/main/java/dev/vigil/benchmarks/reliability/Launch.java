package dev.vigil.benchmarks.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the harness starts Vigil and where it works: the JVMs are started exactly as the
 * {@code ./vigil} launcher starts them.
 *
 * @param javaBinary     the {@code java} that runs the agent and the collector
 * @param agentJar       {@code agent/target/vigil-agent.jar}
 * @param collectorJar   {@code collector/target/vigil-collector.jar}
 * @param launcherFlags  the launcher's {@code JVM_FLAGS} (Chronicle's properties, and on Java 24+ the
 *                       native-access flags); the jars' manifests carry the {@code --add-opens}
 * @param agentFlags     the launcher's {@code AGENT_JVM_FLAGS}, added for the agent only
 * @param agentEnv       what the launcher adds to the agent's environment ({@code MALLOC_ARENA_MAX=2})
 * @param workDir        the run's temporary directory: configurations, data directories, logs
 * @param diskFullDir    a small tmpfs mounted by the script for the disk-full trial, or empty when
 *                       mounting was not permitted
 */
record Launch(
        Path javaBinary,
        Path agentJar,
        Path collectorJar,
        List<String> launcherFlags,
        List<String> agentFlags,
        Map<String, String> agentEnv,
        Path workDir,
        Optional<Path> diskFullDir) {

    /** Copies the collections. */
    Launch {
        Objects.requireNonNull(javaBinary, "javaBinary");
        Objects.requireNonNull(agentJar, "agentJar");
        Objects.requireNonNull(collectorJar, "collectorJar");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(diskFullDir, "diskFullDir");
        launcherFlags = List.copyOf(launcherFlags);
        agentFlags = List.copyOf(agentFlags);
        agentEnv = Map.copyOf(agentEnv);
    }

    /** {@code java <launcher flags> <agent flags> -jar vigil-agent.jar <args>}, as {@code ./vigil agent}. */
    List<String> agentCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(launcherFlags);
        command.addAll(agentFlags);
        command.add("-jar");
        command.add(agentJar.toString());
        command.addAll(args);
        return command;
    }

    /** {@code java <launcher flags> -jar vigil-collector.jar <args>}, as {@code ./vigil collector}. */
    List<String> collectorCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(launcherFlags);
        command.add("-jar");
        command.add(collectorJar.toString());
        command.addAll(args);
        return command;
    }
}
