package dev.vigil.benchmarks.probes;

import dev.vigil.agent.schedule.CheckSchedule;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Goal 1: probes per CPU-second of the prober. blackbox_exporter (and Vigil's {@code /probe}
 * endpoint) are driven at a fixed concurrency; the Vigil agent runs checks on its schedule at a fixed
 * rate. Each is warmed up first, then measured over a window: successful probes in the window divided
 * by the CPU time charged to the prober's process over the same window.
 */
final class ThroughputPhase {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputPhase.class);

    /** The prober label of blackbox_exporter, the baseline of every ratio. */
    static final String BLACKBOX = "blackbox_exporter";
    /** The prober label of the Vigil agent in its natural mode with the recommended flags. */
    static final String VIGIL = "vigil agent";
    /** The prober label of the Vigil agent in its natural mode with the launcher's flags alone. */
    static final String VIGIL_LAUNCHER = "vigil agent, launcher flags";
    /** The prober label of the Vigil agent's {@code /probe} endpoint. */
    static final String VIGIL_ENDPOINT = "vigil /probe";
    /** The prober label of the reference prober probing back to back: the system calls alone. */
    static final String REFERENCE = "reference (C), back to back";
    private static final int REFERENCE_CHUNK = 200;

    private final BenchSettings settings;
    private final NginxTargets targets;
    private final ProbeDriver driver;
    private final VigilCollector collector;
    private final Children children;

    ThroughputPhase(BenchSettings settings, NginxTargets targets, ProbeDriver driver, VigilCollector collector,
            Children children) {
        this.settings = settings;
        this.targets = targets;
        this.driver = driver;
        this.collector = collector;
        this.children = children;
    }

    /**
     * One prober's measurement.
     *
     * @param protocol    what was probed
     * @param prober      who probed
     * @param probes      successful probes in the window
     * @param failures    failed probes in the window (and, for the agent, slots it skipped)
     * @param cpu         CPU time charged to the prober's process over the window
     * @param wallSeconds the window's length
     * @param note        how it was driven
     * @param failureKinds what the failures were (outcome, count and one detail), empty when none
     */
    record Row(ProbeProtocol protocol, String prober, long probes, long failures, ChildProcess.CpuTime cpu,
            double wallSeconds, String note, String failureKinds) {

        double cpuSeconds() {
            return cpu.totalSeconds();
        }

        /** The share of the CPU time spent in the kernel. */
        double systemShare() {
            return cpu.totalSeconds() > 0 ? cpu.systemSeconds() / cpu.totalSeconds() : Double.NaN;
        }

        double perCpuSecond() {
            return cpuSeconds() > 0 ? probes / cpuSeconds() : Double.NaN;
        }

        double perSecond() {
            return probes / wallSeconds;
        }

        /** Cores the prober kept busy on average. */
        double cores() {
            return cpuSeconds() / wallSeconds;
        }
    }

    /** The names of the agents this phase starts, so the collector can be told about them in advance. */
    static List<String> agentNames() {
        List<String> names = new ArrayList<>();
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            names.add("throughput-" + protocol.label());
            names.add("throughput-" + protocol.label() + "-launcher");
        }
        return names;
    }

    List<Row> run(ProbeEndpoint blackbox, Optional<ProbeEndpoint> vigilEndpoint) {
        List<Row> rows = new ArrayList<>();
        ReferenceProber reference = ReferenceProber.start(settings, targets, children);
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            if (protocol != ProbeProtocol.HTTPS) {
                rows.add(reference(reference, protocol));
            }
            rows.add(endpoint(blackbox, BLACKBOX, protocol));
            vigilEndpoint.ifPresent(endpoint -> rows.add(endpoint(endpoint, VIGIL_ENDPOINT, protocol)));
            rows.add(natural(protocol, true));
            if (settings.plan().compareLauncher()) {
                rows.add(natural(protocol, false));
            }
        }
        return rows;
    }

    // A floor, not a competitor: what the probe's system calls cost with no prober around them. On
    // loopback the kernel charges much of the target's side of the handshake to the connecting process.
    private Row reference(ReferenceProber reference, ProbeProtocol protocol) {
        LOG.info("throughput {}: {}", protocol.label(), REFERENCE);
        reference.loop(protocol, REFERENCE_CHUNK);
        ChildProcess.CpuTime cpu = reference.process().cpu();
        long start = System.nanoTime();
        long end = start + settings.plan().window().toNanos();
        long ok = 0;
        long attempted = 0;
        while (System.nanoTime() < end) {
            ok += reference.loop(protocol, REFERENCE_CHUNK);
            attempted += REFERENCE_CHUNK;
        }
        ChildProcess.CpuTime used = reference.process().cpu().minus(cpu);
        return new Row(protocol, REFERENCE, ok, attempted - ok, used, (System.nanoTime() - start) / 1e9,
                "one probe after the other, no prober", "");
    }

    /**
     * Lets {@code process} probe for at least {@code minimum}, then until it is steady, or until the
     * plan's limit; returns how long it took, for the table. Steady: its CPU use over the last slice is within
     * 10 % of the slice before, and its JIT compiler threads (a JVM's) used at most 2 % of it. A JVM
     * whose JIT is still busy can hold a plateau for several slices, so CPU use alone is not enough.
     */
    private String settle(ChildProcess process, Duration minimum) {
        long start = System.nanoTime();
        Duration limit = settings.plan().warmupLimit();
        double previous = -1;
        while (true) {
            ChildProcess.CpuTime before = process.cpu();
            double compilerBefore = process.compilerCpuSeconds();
            Loopback.sleep(settings.plan().settleSlice());
            double current = process.cpu().minus(before).totalSeconds();
            double compiling = process.compilerCpuSeconds() - compilerBefore;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            boolean steady = previous > 0 && Math.abs(current - previous) <= 0.1 * previous
                    && compiling <= 0.02 * current;
            if ((steady && elapsed.compareTo(minimum) >= 0) || elapsed.compareTo(limit) >= 0) {
                if (!steady) {
                    LOG.warn("{} not steady after {} s (CPU {} s in the last slice, {} s of it compiling); measuring anyway",
                            process.name(), elapsed.toSeconds(), current, compiling);
                    return "warmed up " + elapsed.toSeconds() + " s, NOT steady";
                }
                return "warmed up " + elapsed.toSeconds() + " s";
            }
            previous = current;
        }
    }

    private Row endpoint(ProbeEndpoint endpoint, String prober, ProbeProtocol protocol) {
        BenchSettings.Plan plan = settings.plan();
        LOG.info("throughput {}: {} at concurrency {}", protocol.label(), prober, plan.concurrency());
        ProbeDriver.Load load = driver.start(endpoint.probeUri(protocol, targets), plan.concurrency());
        try {
            String warmup = settle(endpoint.process(), prober.equals(BLACKBOX) ? plan.warmup() : plan.jvmWarmup());
            long successes = load.successes();
            long failures = load.failures();
            ChildProcess.CpuTime cpu = endpoint.process().cpu();
            long start = System.nanoTime();
            Loopback.sleep(plan.window());
            ChildProcess.CpuTime used = endpoint.process().cpu().minus(cpu);
            double wall = (System.nanoTime() - start) / 1e9;
            return new Row(protocol, prober, load.successes() - successes, load.failures() - failures,
                    used, wall, "/probe driven at concurrency " + plan.concurrency() + ", " + warmup, "");
        } finally {
            load.stop();
        }
    }

    private Row natural(ProbeProtocol protocol, boolean tuned) {
        BenchSettings.Plan plan = settings.plan();
        Duration interval = plan.naturalInterval();
        int rate = plan.naturalRates().get(protocol);
        int checkCount = (int) Math.max(1, rate * interval.toMillis() / 1000);
        List<VigilAgent.Check> checks = new ArrayList<>();
        for (int i = 0; i < checkCount; i++) {
            checks.add(new VigilAgent.Check(String.format("%s-%04d", protocol.label(), i), protocol, interval,
                    interval.multipliedBy(9).dividedBy(10)));
        }
        String name = "throughput-" + protocol.label() + (tuned ? "" : "-launcher");
        String prober = tuned ? VIGIL : VIGIL_LAUNCHER;
        LOG.info("throughput {}: {} with {} checks every {} ms", protocol.label(), prober, checkCount,
                interval.toMillis());
        VigilAgent agent = VigilAgent.start(settings, name, checks, targets, collector, tuned, children);
        String warmup = settle(agent.process(), plan.jvmWarmup());
        long startEpochMillis = System.currentTimeMillis();
        ChildProcess.CpuTime cpu = agent.process().cpu();
        long start = System.nanoTime();
        Loopback.sleep(plan.window());
        ChildProcess.CpuTime used = agent.process().cpu().minus(cpu);
        double wall = (System.nanoTime() - start) / 1e9;
        long endEpochMillis = startEpochMillis + Math.round(wall * 1000);
        agent.stop(children);
        long ok = 0;
        long failed = 0;
        Map<Outcome, Long> failureCounts = new EnumMap<>(Outcome.class);
        Map<Outcome, String> failureDetails = new EnumMap<>(Outcome.class);
        for (Sample sample : agent.samples()) {
            if (sample.scheduledEpochMillis() >= startEpochMillis && sample.scheduledEpochMillis() < endEpochMillis) {
                if (sample.success()) {
                    ok++;
                } else {
                    failed++;
                    failureCounts.merge(sample.outcome(), 1L, Long::sum);
                    failureDetails.putIfAbsent(sample.outcome(), sample.detail());
                }
            }
        }
        long expected = 0;
        for (VigilAgent.Check check : checks) {
            CheckSchedule schedule = new CheckSchedule(check.id(), interval.toMillis());
            expected += (schedule.slotAtOrAfter(endEpochMillis) - schedule.slotAtOrAfter(startEpochMillis))
                    / interval.toMillis();
        }
        long skipped = Math.max(0, expected - ok - failed);
        StringBuilder kinds = new StringBuilder();
        failureCounts.forEach((outcome, count) -> kinds.append(kinds.length() == 0 ? "" : "; ")
                .append(outcome).append(" ×").append(count).append(" (").append(failureDetails.get(outcome)).append(')'));
        if (skipped > 0) {
            kinds.append(kinds.length() == 0 ? "" : "; ").append("skipped slots ×").append(skipped);
        }
        return new Row(protocol, prober, ok, failed + skipped, used, wall,
                checkCount + " checks every " + interval.toMillis() + " ms, " + warmup
                        + ", samples counted in the journal",
                kinds.toString());
    }
}
