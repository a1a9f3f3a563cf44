package dev.vigil.benchmarks.probes;

import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent with many TCP checks at one interval (the schedule and memory goals): started, given a few
 * intervals to settle (every check has run, the JIT has compiled the hot paths), then watched for a
 * window while its resident memory is sampled every second, then stopped and its journal read.
 */
final class ManyChecksRun {
    private static final Logger LOG = LoggerFactory.getLogger(ManyChecksRun.class);

    /**
     * What one run saw.
     *
     * @param checks           how many checks
     * @param interval         their interval
     * @param tuned            recommended flags (true) or the launcher's alone
     * @param startEpochMillis the window's start
     * @param endEpochMillis   its end (exclusive)
     * @param rssKib           VmRSS every second of the window, KiB
     * @param cpuSeconds       CPU time of the agent over the window
     * @param samples          every sample of the journal, the settling interval included
     */
    record Result(int checks, Duration interval, boolean tuned, long startEpochMillis, long endEpochMillis,
            List<Long> rssKib, double cpuSeconds, List<Sample> samples) {

        long rssMaxKib() {
            return rssKib.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        long rssMedianKib() {
            return Distribution.of(rssKib).p50();
        }

        /** The samples scheduled inside the window. */
        List<Sample> windowSamples() {
            return samples.stream()
                    .filter(sample -> sample.scheduledEpochMillis() >= startEpochMillis
                            && sample.scheduledEpochMillis() < endEpochMillis)
                    .toList();
        }
    }

    private ManyChecksRun() {
    }

    /** The check ids of a run with {@code count} checks. */
    static String checkId(int index) {
        return String.format("tcp-%05d", index);
    }

    static Result run(BenchSettings settings, String name, int count, Duration interval, Duration window,
            boolean tuned, NginxTargets targets, VigilCollector collector, Children children) {
        List<VigilAgent.Check> checks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            checks.add(new VigilAgent.Check(checkId(i), ProbeProtocol.TCP, interval, Duration.ofSeconds(2)));
        }
        LOG.info("{}: {} TCP checks every {} s, {} flags, window {} s", name, count, interval.toSeconds(),
                tuned ? "recommended" : "launcher", window.toSeconds());
        VigilAgent agent = VigilAgent.start(settings, name, checks, targets, collector, tuned, children);
        Loopback.sleep(interval.multipliedBy(settings.plan().settleIntervals()));
        long start = System.currentTimeMillis();
        ChildProcess.CpuTime cpu = agent.process().cpu();
        List<Long> rss = new ArrayList<>();
        long end = start + window.toMillis();
        for (long next = start + 1000; next <= end; next += 1000) {
            Loopback.sleep(Duration.ofMillis(Math.max(0, next - System.currentTimeMillis())));
            rss.add(agent.process().rssKib());
        }
        double cpuSeconds = agent.process().cpu().minus(cpu).totalSeconds();
        agent.stop(children);
        return new Result(count, interval, tuned, start, end, rss, cpuSeconds, agent.samples());
    }
}
