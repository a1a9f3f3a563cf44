package dev.vigil.agent.host;

/**
 * The host's CPU time counters at one moment, from the {@code cpu} line of {@code /proc/stat}, in
 * clock ticks summed over all CPUs.
 *
 * @param busyTicks  time not idle: user, nice, system, irq, softirq, steal (guest time is part of user)
 * @param totalTicks busy time plus idle and I/O wait, ≥ {@code busyTicks}
 * @param cpus       how many CPUs are online ({@code cpuN} lines), ≥ 1
 */
public record CpuTimes(long busyTicks, long totalTicks, int cpus) {

    /** Validates the counters. */
    public CpuTimes {
        if (busyTicks < 0 || totalTicks < busyTicks) {
            throw new IllegalArgumentException("need 0 <= busyTicks <= totalTicks (was " + busyTicks + ", "
                    + totalTicks + ")");
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1 (was " + cpus + ")");
        }
    }

    /**
     * The share of CPU time busy between {@code earlier} and this moment, 0..1; 0 when no tick
     * passed (a window shorter than a clock tick).
     */
    public double usageSince(CpuTimes earlier) {
        long total = totalTicks - earlier.totalTicks;
        long busy = busyTicks - earlier.busyTicks;
        if (total <= 0 || busy < 0) {
            return 0;
        }
        return Math.min(1, (double) busy / total);
    }
}
