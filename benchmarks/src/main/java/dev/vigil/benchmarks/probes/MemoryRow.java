package dev.vigil.benchmarks.probes;

/**
 * Goal 4: the agent's resident memory at steady state with a number of checks and a set of flags.
 *
 * @param checks       how many TCP checks (10 s interval)
 * @param tuned        recommended flags (true) or the launcher's alone
 * @param rssMedianKib the median of VmRSS sampled every second of the window, KiB
 * @param rssMaxKib    the largest sample, KiB
 * @param samples      how many RSS samples
 * @param cpuCores     the agent's average CPU use over the window, in cores
 */
record MemoryRow(int checks, boolean tuned, long rssMedianKib, long rssMaxKib, int samples, double cpuCores) {

    static MemoryRow of(ManyChecksRun.Result run) {
        double windowSeconds = (run.endEpochMillis() - run.startEpochMillis()) / 1000.0;
        return new MemoryRow(run.checks(), run.tuned(), run.rssMedianKib(), run.rssMaxKib(), run.rssKib().size(),
                run.cpuSeconds() / windowSeconds);
    }
}
