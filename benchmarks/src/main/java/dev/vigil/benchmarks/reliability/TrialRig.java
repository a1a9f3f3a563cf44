package dev.vigil.benchmarks.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One trial's agent and collector, on data directories of their own, and what the trial found so
 * far. {@link #finish()} ends every trial the same way: drain the agent, stop both gracefully,
 * compare the journals.
 */
final class TrialRig implements AutoCloseable {
    /** How long a start or restart may take: JVM start, journal open, the collector's replay. */
    static final Duration START_DEADLINE = Duration.ofSeconds(90);
    /** How long SIGTERM may take before the harness counts it as a problem and kills. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** A new agent's backlog gauge is only meaningful once its shipper has counted: give it this long. */
    private static final Duration BACKLOG_SETTLE = Duration.ofSeconds(1);
    private static final Duration BACKLOG_POLL = Duration.ofMillis(100);

    private final TrialKind kind;
    private final int number;
    private final ReliabilityPlan plan;
    private final CollectorNode collector;
    private final AgentNode agent;
    private final long startedNanos = System.nanoTime();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final Set<VigilProcess> crashed = new HashSet<>();
    private int corrupt;
    private int crashes;

    private TrialRig(TrialKind kind, int number, ReliabilityPlan plan, CollectorNode collector, AgentNode agent) {
        this.kind = kind;
        this.number = number;
        this.plan = plan;
        this.collector = collector;
        this.agent = agent;
    }

    /**
     * A rig in {@code <workDir>/<kind>-<number>}, the agent's data in {@code agentDataDir} when given.
     *
     * @param journalYaml the agent's {@code journal:} configuration section, or empty
     */
    static TrialRig create(Launch launch, ReliabilityPlan plan, TrialKind kind, int number, TcpTarget target,
            Optional<Path> agentDataDir, String journalYaml) {
        Path dir = launch.workDir().resolve(kind.label() + "-" + number);
        CollectorNode collector = new CollectorNode(launch, dir.resolve("collector"), AgentNode.NAME, AgentNode.TOKEN);
        Path agentDir = dir.resolve("agent");
        AgentNode agent = new AgentNode(launch, agentDir, agentDataDir.orElse(agentDir.resolve("data")), collector,
                target, plan.checks(), plan.interval(), journalYaml);
        return new TrialRig(kind, number, plan, collector, agent);
    }

    CollectorNode collector() {
        return collector;
    }

    AgentNode agent() {
        return agent;
    }

    /** {@code agent-kill#2}. */
    String label() {
        return kind.label() + "#" + number;
    }

    /**
     * Starts the collector and the agent side by side on fresh data directories (the agent retries
     * until the collector answers), and waits until both are healthy.
     */
    void startBoth() {
        collector.spawn();
        agent.spawn();
        collector.awaitHealthy(START_DEADLINE);
        agent.awaitHealthy(START_DEADLINE);
    }

    /**
     * Starts a new incarnation of {@code node} after a kill or stop and waits until it is healthy.
     *
     * @throws VigilNode.StartFailure when it does not come up: its data directory did not reopen
     */
    void restart(VigilNode node) {
        node.spawn();
        node.awaitHealthy(START_DEADLINE);
    }

    /** Records a restart that failed: the data directory the killed process left did not reopen. */
    void reopenFailed(VigilNode.StartFailure failure) {
        corrupt++;
        problem("restart failed, the data directory did not reopen: " + failure.getMessage());
    }

    /** Records something that went wrong, and says so at once. */
    void problem(String problem) {
        problems.add(problem);
        Progress.say(label() + ": PROBLEM " + problem);
    }

    /** Adds a figure to the trial's details in the report. */
    void detail(String name, Object value) {
        details.put(name, value);
    }

    /**
     * Whether neither process crashed (died without being killed or stopped); records each crash once.
     */
    boolean bothAlive() {
        boolean alive = true;
        for (VigilNode node : List.of(collector, agent)) {
            if (node.crashed()) {
                alive = false;
                if (!crashed.add(node.process())) {
                    continue;
                }
                crashes++;
                problem(node.name() + " crashed (exit status " + node.process().exitStatus().orElse(-1)
                        + "); its log ends:\n" + node.process().logTail(15));
            }
        }
        return alive;
    }

    /**
     * Ends the trial: the collector up; the agent stopped gracefully and, with
     * {@link ReliabilityPlan#drainRestart()}, started once more with the drain configuration until its
     * backlog is 0 (else stopped once it has caught up); the collector stopped gracefully; and
     * the journals compared.
     */
    TrialResult finish() {
        Progress.say(label() + (plan.drainRestart() ? ": draining the agent's journal, then stopping both"
                : ": stopping both once the agent has caught up"));
        try {
            if (agent.crashed() || collector.crashed()) {
                bothAlive();
            }
            if (!collector.running()) {
                restart(collector);
            }
            if (!plan.drainRestart() && agent.running()) {
                // Under steady probing the gauge seldom rests at 0; less than one interval's samples
                // means the agent has caught up, and what it holds then is counted as pending.
                awaitBacklogBelow(plan.checks(), 1, Duration.ZERO);
            }
            if (agent.running() && !agent.stop(STOP_GRACE)) {
                problem("agent did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM and was killed");
            }
            if (plan.drainRestart()) {
                agent.drainMode();
                restart(agent);
                awaitBacklogBelow(1, 2, BACKLOG_SETTLE);
                if (!agent.stop(STOP_GRACE)) {
                    problem("drain agent did not stop within " + STOP_GRACE.toSeconds()
                            + " s of SIGTERM and was killed");
                }
            }
            if (!collector.stop(STOP_GRACE)) {
                problem("collector did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM and was killed");
            }
        } catch (VigilNode.StartFailure e) {
            reopenFailed(e);
        } finally {
            agent.close();
            collector.close();
        }
        JournalAudit.Result audit = JournalAudit.compare(AgentNode.NAME, agent.journalDir(), collector.journalDir());
        for (String failure : audit.corrupt()) {
            corrupt++;
            problem("journal failed to open or read: " + failure);
        }
        if (!audit.examples().isEmpty()) {
            detail("examples", audit.examples());
        }
        if (audit.collectorOnly() > 0) {
            detail("collector_only", audit.collectorOnly());
        }
        if (audit.unreadable() > 0) {
            detail("unreadable_in_agent_journal", audit.unreadable());
        }
        if (audit.pendingGaps() > 0 && plan.drainRestart()) {
            problem("after the drain the agent still had " + audit.pendingGaps() + " gap notices the collector "
                    + "never acknowledged");
        } else if (audit.pendingGaps() > 0) {
            // Like pending samples: in the agent's gap log, to be sent when it starts again.
            detail("pending_gaps", audit.pendingGaps());
        }
        long rejected = agent.total(AgentNode.REJECTED);
        if (rejected > 0) {
            // Rejected samples are not at the collector, so the audit counts them lost as well.
            detail("rejected_by_collector", rejected);
        }
        long dropped = agent.total(AgentNode.DROPPED);
        if (plan.drainRestart() && audit.pending() > 0) {
            problem(audit.pending() + " samples were still to be sent after the drain");
        }
        TrialResult result = new TrialResult(kind, number, audit.samples(), audit.collectorHeld(), audit.lost(),
                audit.pending(), audit.doubled(), audit.collectorOnly(), collector.total(CollectorNode.DUPLICATES), dropped,
                audit.gapSamples(), agent.kills(), collector.kills(), corrupt, crashes, problems,
                (System.nanoTime() - startedNanos) / 1e9, details);
        Progress.say(String.format("%s: %s in %.0f s: %,d samples journaled, %,d held by the collector, lost %d, "
                        + "pending %d, doubled %d, resends absorbed %,d, dropped %d (counted %d), kills agent %d collector %d%s",
                label(), result.passed() ? "passed" : "FAILED", result.seconds(), result.samples(),
                result.collectorHeld(), result.lost(), result.pending(), result.doubled(), result.absorbedResends(),
                result.droppedByAgent(), result.droppedCounted(), result.agentKills(), result.collectorKills(),
                result.corrupt() > 0 ? ", corrupt on reopen " + result.corrupt() : ""));
        return result;
    }

    /**
     * Waits until the agent's backlog gauge reads less than {@code limit} on {@code times} scrapes in a
     * row, counting only
     * after {@code settle} (a new agent's gauge reads 0 until its shipper first counted); a backlog left at the deadline is a problem (after a drain
     * restart what it holds shows as pending).
     */
    private void awaitBacklogBelow(long limit, int times, Duration settle) {
        long started = System.nanoTime();
        long deadline = started + plan.drainDeadline().toNanos();
        int zeros = 0;
        long backlog = -1;
        while (zeros < times) {
            Optional<MetricsText> metrics = agent.scrape();
            boolean settled = System.nanoTime() - started >= settle.toNanos();
            if (metrics.isPresent()) {
                backlog = metrics.get().count(AgentNode.BACKLOG);
            }
            zeros = settled && metrics.isPresent() && backlog < limit ? zeros + 1 : 0;
            if (!agent.running()) {
                bothAlive();
                return;
            }
            if (System.nanoTime() > deadline) {
                problem("the agent's backlog did not get below " + limit + " within " + plan.drainDeadline().toSeconds()
                        + " s (last " + backlog + ")");
                return;
            }
            if (zeros < times) {
                Loopback.sleep(BACKLOG_POLL);
            }
        }
        detail("final_drain_seconds", round1((System.nanoTime() - started) / 1e9));
    }

    /** Rounds to one decimal for the report. */
    static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Kills whatever still runs. */
    @Override
    public void close() {
        agent.close();
        collector.close();
    }
}
