package dev.vigil.config.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The settings of a host check: the agent's own host's CPU, memory, swap, disk and load, each
 * failing the check with {@code THRESHOLD_EXCEEDED} when above its limit. Usage limits are ratios
 * 0..1; the load limit is the 1-minute load average per CPU.
 *
 * @param maxCpuUsage    share of CPU time busy over the run's measuring window
 * @param maxMemoryUsage share of memory in use (total minus available)
 * @param maxSwapUsage   share of swap in use
 * @param maxDiskUsage   share of each watched mount's space in use
 * @param maxLoadPerCpu  1-minute load average divided by the number of CPUs, &gt; 0
 * @param mounts         mount points to watch; empty means every local disk file system
 */
public record HostProbeSpec(
        OptionalDouble maxCpuUsage,
        OptionalDouble maxMemoryUsage,
        OptionalDouble maxSwapUsage,
        OptionalDouble maxDiskUsage,
        OptionalDouble maxLoadPerCpu,
        List<Path> mounts) implements ProbeSpec {

    /** Validates the bounds and copies the mounts. */
    public HostProbeSpec {
        requireRatio("max_cpu", maxCpuUsage);
        requireRatio("max_memory", maxMemoryUsage);
        requireRatio("max_swap", maxSwapUsage);
        requireRatio("max_disk", maxDiskUsage);
        Objects.requireNonNull(maxLoadPerCpu, "maxLoadPerCpu");
        if (maxLoadPerCpu.isPresent() && !(maxLoadPerCpu.getAsDouble() > 0)) {
            throw new IllegalArgumentException("max_load_per_cpu must be > 0 (was " + maxLoadPerCpu.getAsDouble() + ")");
        }
        mounts = List.copyOf(mounts);
    }

    @Override
    public ProbeType type() {
        return ProbeType.HOST;
    }

    private static void requireRatio(String name, OptionalDouble ratio) {
        Objects.requireNonNull(ratio, name);
        if (ratio.isPresent() && !(ratio.getAsDouble() >= 0 && ratio.getAsDouble() <= 1)) {
            throw new IllegalArgumentException(name + " must be 0..1 (was " + ratio.getAsDouble() + ")");
        }
    }
}
