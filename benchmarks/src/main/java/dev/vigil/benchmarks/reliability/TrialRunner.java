package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Runs the trials of a {@link ReliabilityPlan}: each on a fresh {@link TrialRig}, its disturbances at
 * moments drawn from one seeded {@link Random}, so a run with the same seed makes the same choices
 * (the processes' own timing still differs from run to run).
 */
final class TrialRunner {
    private static final Duration SCRAPE_PERIOD = Duration.ofMillis(100);
    private static final Duration RSS_PERIOD = Duration.ofSeconds(1);
    private static final int MIB = 1024 * 1024;
    /** The agent's {@code min_free} on the tmpfs. */
    private static final String DISK_MIN_FREE = "8MiB";
    private static final long DISK_MIN_FREE_BYTES = 8L * MIB;
    /**
     * The journal budget when no tmpfs could be mounted: more than one minutely cycle holds at 500
     * samples/s (about 1.2 MB), so the budget deletes whole old cycles rather than refusing every sample.
     */
    private static final String DISK_BUDGET = "2MiB";
    /** Without a tmpfs the budget fills at the sample rate: almost two minutes at 500 samples/s. */
    private static final Duration BUDGET_FILL_ALLOWANCE = Duration.ofMinutes(3);

    private final Launch launch;
    private final ReliabilityPlan plan;
    private final TcpTarget target;
    private final Random random;

    TrialRunner(Launch launch, ReliabilityPlan plan, TcpTarget target, long seed) {
        this.launch = launch;
        this.plan = plan;
        this.target = target;
        this.random = new Random(seed);
    }

    /**
     * The agent's {@code journal:} section for kill, outage and stall trials: every file kept for a
     * day, so that afterwards every sample the agent ever journaled can be read back and compared.
     */
    static String keepEverythingJournal() {
        return journalYaml("daily", "1GiB", "64MiB", "1d");
    }

    private static String journalYaml(String roll, String maxSize, String minFree, String retainAcked) {
        return "journal:\n  roll: " + roll + "\n  max_size: " + maxSize + "\n  min_free: " + minFree
                + "\n  retain_acked: " + retainAcked + "\n";
    }

    /** Kill trials of {@code kind}, {@code kills} SIGKILLs in all, at most {@link ReliabilityPlan#killsPerTrial()} per trial. */
    List<TrialResult> killTrials(TrialKind kind, int kills) {
        List<TrialResult> results = new ArrayList<>();
        int left = kills;
        for (int number = 1; left > 0; number++) {
            int these = Math.min(left, plan.killsPerTrial());
            results.add(killTrial(kind, number, these));
            left -= these;
        }
        return results;
    }

    private TrialResult killTrial(TrialKind kind, int number, int kills) {
        try (TrialRig rig = TrialRig.create(launch, plan, kind, number, target, Optional.empty(),
                keepEverythingJournal())) {
            Progress.say(rig.label() + ": starting; " + kills + " SIGKILLs of " + switch (kind) {
                case AGENT_KILL -> "the agent";
                case COLLECTOR_KILL -> "the collector";
                default -> "both at once";
            });
            if (!start(rig)) {
                return rig.finish();
            }
            try {
                boolean duringStartup = false;
                for (int kill = 1; kill <= kills; kill++) {
                    if (!duringStartup) {
                        Loopback.sleep(Duration.ofMillis(random.nextLong(plan.killWindow().toMillis() + 1)));
                    }
                    if (!rig.bothAlive()) {
                        break;
                    }
                    List<VigilNode> victims = switch (kind) {
                        case AGENT_KILL -> List.of(rig.agent());
                        case COLLECTOR_KILL -> List.of(rig.collector());
                        // Microseconds apart, in a random order each time.
                        case BOTH_KILL -> random.nextBoolean() ? List.of(rig.agent(), rig.collector())
                                : List.of(rig.collector(), rig.agent());
                        default -> throw new IllegalArgumentException(kind + " is not a kill trial");
                    };
                    victims.forEach(VigilNode::kill9);
                    // The collector first: an agent starting against a collector that is not there yet is
                    // the usual case anyway, and the collector's replay is the longer start.
                    List<VigilNode> order = victims.contains(rig.collector()) && victims.size() > 1
                            ? List.of(rig.collector(), rig.agent()) : victims;
                    order.forEach(VigilNode::spawn);
                    duringStartup = kill < kills && random.nextDouble() < plan.startupKillShare();
                    if (duringStartup) {
                        Loopback.sleep(Duration.ofMillis(50 + random.nextLong(1500)));
                        Progress.say(rig.label() + ": kill " + kill + "/" + kills + " done; next one during start-up");
                        continue;
                    }
                    for (VigilNode node : order) {
                        node.awaitHealthy(TrialRig.START_DEADLINE);
                    }
                    if (kill % 5 == 0 || kill == kills) {
                        Progress.say(rig.label() + ": kill " + kill + "/" + kills + " done");
                    }
                }
            } catch (VigilNode.StartFailure e) {
                rig.reopenFailed(e);
            }
            return rig.finish();
        }
    }

    /** The collector down for {@link ReliabilityPlan#outage()}, then back: drain time and the agent's memory. */
    TrialResult outageTrial() {
        try (TrialRig rig = TrialRig.create(launch, plan, TrialKind.OUTAGE, 1, target, Optional.empty(),
                keepEverythingJournal())) {
            Progress.say(rig.label() + ": starting; the collector goes down for " + plan.outage().toSeconds() + " s");
            if (!start(rig)) {
                return rig.finish();
            }
            try (RssSampler rss = RssSampler.start(rig.agent().process(), RSS_PERIOD)) {
                if (!rig.collector().stop(TrialRig.STOP_GRACE)) {
                    rig.problem("collector did not stop within " + TrialRig.STOP_GRACE.toSeconds() + " s of SIGTERM");
                }
                long backlogBefore = rig.agent().scrape().map(m -> m.count(AgentNode.BACKLOG)).orElse(-1L);
                Loopback.sleep(plan.outage());
                rig.bothAlive();
                rig.detail("outage_seconds", plan.outage().toSeconds());
                try {
                    rig.restart(rig.collector());
                    CatchUp drain = awaitCaughtUp(rig, "the outage's backlog");
                    rig.detail("backlog_at_return", drain.backlogAtStart());
                    rig.detail("drain_seconds", drain.seconds());
                    rig.detail("first_ack_seconds", drain.firstAckSeconds());
                    Progress.say(String.format("%s: collector back; backlog %,d drained in %.1f s, the first of it "
                                    + "acknowledged after %.1f s (backlog before the outage %d)", rig.label(),
                            drain.backlogAtStart(), drain.seconds(), drain.firstAckSeconds(), backlogBefore));
                } catch (VigilNode.StartFailure e) {
                    rig.reopenFailed(e);
                }
                RssSampler.Memory memory = rss.finish();
                rig.detail("agent_rss_mib", mib(memory.vmRss()));
                rig.detail("agent_rss_anon_mib", mib(memory.rssAnon()));
                Progress.say(rig.label() + ": agent memory over the outage and drain, MiB: VmRSS " + mib(memory.vmRss())
                        + ", RssAnon " + mib(memory.rssAnon()));
            }
            return rig.finish();
        }
    }

    /** The collector SIGSTOP'd for {@link ReliabilityPlan#stall()}: half-open connections, then SIGCONT. */
    TrialResult stallTrial() {
        try (TrialRig rig = TrialRig.create(launch, plan, TrialKind.STALL, 1, target, Optional.empty(),
                keepEverythingJournal())) {
            Progress.say(rig.label() + ": starting; the collector is frozen (SIGSTOP) for " + plan.stall().toSeconds()
                    + " s");
            if (!start(rig)) {
                return rig.finish();
            }
            rig.agent().scrape();
            long failuresBefore = rig.agent().total(AgentNode.SHIP_FAILURES);
            rig.collector().freeze();
            Loopback.sleep(plan.stall());
            rig.collector().thaw();
            rig.bothAlive();
            rig.detail("stall_seconds", plan.stall().toSeconds());
            CatchUp recovery = awaitCaughtUp(rig, "the stall's backlog");
            rig.detail("recovery_seconds", recovery.seconds());
            rig.detail("first_ack_seconds", recovery.firstAckSeconds());
            rig.detail("ship_failures", rig.agent().total(AgentNode.SHIP_FAILURES) - failuresBefore);
            Progress.say(String.format("%s: collector resumed; backlog %,d caught up in %.1f s, %d failed shipments",
                    rig.label(), recovery.backlogAtStart(), recovery.seconds(),
                    rig.agent().total(AgentNode.SHIP_FAILURES) - failuresBefore));
            return rig.finish();
        }
    }

    /**
     * The agent's journal disk fills while the collector is down. With a tmpfs (mounted by the script)
     * the agent's data directory is on it and a ballast file leaves little more than
     * {@code min_free}; without one, the journal's {@code max_size} budget is what fills.
     */
    TrialResult diskFullTrial() {
        Optional<Path> tmpfs = launch.diskFullDir();
        String journal = tmpfs.isPresent() ? journalYaml("minutely", "1GiB", DISK_MIN_FREE, "0s")
                : journalYaml("minutely", DISK_BUDGET, "64MiB", "0s");
        try (TrialRig rig = TrialRig.create(launch, plan, TrialKind.DISK_FULL, 1, target,
                tmpfs.map(dir -> dir.resolve("agent-data")), journal)) {
            Progress.say(rig.label() + ": starting; " + (tmpfs.isPresent()
                    ? "the agent's data directory is on a tmpfs of " + sizeMib(tmpfs.get()) + " MiB"
                    : "no tmpfs could be mounted: the journal's max_size budget (" + DISK_BUDGET + ") fills instead"));
            rig.detail("mounted", tmpfs.isPresent());
            tmpfs.ifPresent(dir -> rig.detail("size_mib", sizeMib(dir)));
            if (!start(rig)) {
                return rig.finish();
            }
            if (!rig.collector().stop(TrialRig.STOP_GRACE)) {
                rig.problem("collector did not stop within " + TrialRig.STOP_GRACE.toSeconds() + " s of SIGTERM");
            }
            Optional<Path> ballast = tmpfs.map(dir -> fillLeaving(dir.resolve("ballast"),
                    DISK_MIN_FREE_BYTES + plan.diskHeadroomKib() * 1024L));
            long started = System.nanoTime();
            Duration allowed = tmpfs.isPresent() ? plan.drainDeadline() : plan.drainDeadline().plus(BUDGET_FILL_ALLOWANCE);
            long deadline = started + allowed.toNanos();
            long dropped = 0;
            while (dropped == 0 && System.nanoTime() < deadline && rig.bothAlive()) {
                Loopback.sleep(Duration.ofMillis(250));
                rig.agent().scrape();
                dropped = rig.agent().total(AgentNode.DROPPED);
            }
            if (dropped == 0) {
                rig.problem("the agent dropped nothing within " + allowed.toSeconds() + " s of the collector going "
                        + "down with its journal's disk nearly full");
            } else {
                rig.detail("first_drop_after_seconds", TrialRig.round1((System.nanoTime() - started) / 1e9));
                Progress.say(rig.label() + ": the journal is full, the agent drops samples; holding for "
                        + plan.diskFillHold().toSeconds() + " s");
                Loopback.sleep(plan.diskFillHold());
            }
            boolean alive = rig.bothAlive();
            rig.detail("agent_crashed", rig.agent().crashed());
            // The operator frees the disk and brings the collector back.
            ballast.ifPresent(TrialRunner::delete);
            if (alive) {
                // The catch-up is not timed here: what the budget deleted was journaled but is never
                // acknowledged, so the drain agent of finish() tells when the backlog is gone.
                try {
                    rig.restart(rig.collector());
                } catch (VigilNode.StartFailure e) {
                    rig.reopenFailed(e);
                }
            }
            rig.agent().scrape();
            rig.detail("dropped", rig.agent().total(AgentNode.DROPPED));
            return rig.finish();
        }
    }

    private boolean start(TrialRig rig) {
        try {
            rig.startBoth();
        } catch (VigilNode.StartFailure e) {
            rig.problem("could not start on fresh data directories: " + e.getMessage());
            return false;
        }
        Loopback.sleep(plan.warmup());
        return rig.bothAlive();
    }

    /**
     * How long the agent took to catch up, and with how much.
     *
     * @param backlogAtStart   the agent's backlog gauge when it began
     * @param firstAckSeconds  until the agent's first acknowledgement after the return: its retry
     *                         backoff; -1 when none came
     * @param seconds          from the collector being back to everything journaled until then being
     *                         acknowledged; -1 when it did not within the drain deadline
     */
    record CatchUp(long backlogAtStart, double firstAckSeconds, double seconds) {
    }

    /**
     * Waits until the agent's acknowledged samples reach what it had journaled when the collector came
     * back (the agent was not restarted, so its counters cover the whole trial): then the backlog of the
     * disturbance is delivered. The backlog gauge alone never rests at 0 while checks keep probing.
     */
    private CatchUp awaitCaughtUp(TrialRig rig, String what) {
        long started = System.nanoTime();
        long deadline = started + plan.drainDeadline().toNanos();
        Optional<MetricsText> first = rig.agent().scrape();
        long backlog = first.map(m -> m.count(AgentNode.BACKLOG)).orElse(-1L);
        long target = rig.agent().total(AgentNode.JOURNALED);
        long ackedAtStart = rig.agent().total(AgentNode.ACKED);
        double firstAck = -1;
        while (rig.agent().total(AgentNode.ACKED) < target) {
            if (System.nanoTime() > deadline || !rig.bothAlive()) {
                rig.problem("the agent did not deliver " + what + " within " + plan.drainDeadline().toSeconds()
                        + " s (" + rig.agent().total(AgentNode.ACKED) + " of " + target + " acknowledged)");
                return new CatchUp(backlog, firstAck, -1);
            }
            Loopback.sleep(SCRAPE_PERIOD);
            rig.agent().scrape();
            if (firstAck < 0 && rig.agent().total(AgentNode.ACKED) > ackedAtStart) {
                firstAck = TrialRig.round1((System.nanoTime() - started) / 1e9);
            }
        }
        return new CatchUp(backlog, firstAck, TrialRig.round1((System.nanoTime() - started) / 1e9));
    }

    private static Map<String, Long> mib(RssSampler.Figures figures) {
        Map<String, Long> mib = new LinkedHashMap<>();
        mib.put("start", Math.round(figures.startKib() / 1024.0));
        mib.put("max", Math.round(figures.maxKib() / 1024.0));
        mib.put("end", Math.round(figures.endKib() / 1024.0));
        return mib;
    }

    private static long sizeMib(Path dir) {
        try {
            return Files.getFileStore(dir).getTotalSpace() / MIB;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + dir, e);
        }
    }

    /** Writes {@code file} until the file system has {@code leaveBytes} free; returns it. */
    private static Path fillLeaving(Path file, long leaveBytes) {
        try {
            FileStore store = Files.getFileStore(file.getParent());
            long fill = store.getUsableSpace() - leaveBytes;
            byte[] chunk = new byte[MIB];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < fill; written += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, fill - written));
                }
            }
            Progress.say("disk-full: ballast of " + Math.max(0, fill) / MIB + " MiB leaves "
                    + store.getUsableSpace() / MIB + " MiB free");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ballast " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the ballast " + file, e);
        }
    }
}
