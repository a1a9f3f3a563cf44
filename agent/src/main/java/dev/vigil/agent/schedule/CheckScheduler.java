package dev.vigil.agent.schedule;

import dev.vigil.agent.config.EvidenceSettings;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every check at its scheduled times, on the agent's event loops, and hands each result on
 * stamped with the time the run was scheduled for.
 *
 * <p>At {@link #start()} the scheduler reads the wall clock once and pairs it with the monotonic
 * clock; each scheduled time ({@link CheckSchedule}) becomes a monotonic deadline from that anchor,
 * and the next start is an {@link EventLoop#schedule} for exactly that deadline. Starts therefore do
 * not drift, and a wall-clock step after start does not bunch or stall runs (it shifts the stamps
 * until the next restart instead).
 *
 * <p>Checks can be added, replaced and removed while it runs ({@link #schedule}, {@link #unschedule}),
 * as the collector's assignments change. The other checks are not touched, so they keep their slots;
 * a check added later starts at its first slot after the moment it is added, on the same phase it would
 * have had from the start.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckScheduler.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final InstantSource wallClock;
    private final LongSupplier nanoClock;
    private final ScheduleListener listener;
    private final Duration evidenceEvery;
    private final Object idle = new Object();
    private int inFlight;
    private volatile boolean stopped;
    // Written once by start() before started is set: a reader that sees started sees the anchor.
    private volatile boolean started;
    private long anchorEpochMillis;
    private long anchorNanos;

    /**
     * A scheduler for {@code checks}, each pinned to one loop of {@code group}. {@code wallClock}
     * stamps the anchor, {@code nanoClock} (normally {@code System::nanoTime}, the clock Netty's
     * scheduled tasks use) measures from it; results go to {@code listener}.
     *
     * @throws IllegalArgumentException when two checks have the same id
     */
    public CheckScheduler(List<ScheduledCheck> checks, EventLoopGroup group, InstantSource wallClock,
            LongSupplier nanoClock, ScheduleListener listener) {
        this(checks, group, wallClock, nanoClock, listener, EvidenceSettings.DEFAULT.every());
    }

    /**
     * As {@link #CheckScheduler(List, EventLoopGroup, InstantSource, LongSupplier, ScheduleListener)}, with
     * the evidence of a check failing the same way sent again once the last is {@code evidenceEvery} old
     * (see {@link EvidenceGate}).
     *
     * @throws IllegalArgumentException when two checks have the same id
     */
    public CheckScheduler(List<ScheduledCheck> checks, EventLoopGroup group, InstantSource wallClock,
            LongSupplier nanoClock, ScheduleListener listener, Duration evidenceEvery) {
        this.evidenceEvery = evidenceEvery;
        this.group = group;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.listener = listener;
        for (ScheduledCheck check : checks) {
            if (runners.putIfAbsent(check.checkId(), new Runner(check, group.next())) != null) {
                throw new IllegalArgumentException("check id '" + check.checkId() + "' is scheduled twice");
            }
        }
    }

    /** Anchors the clocks and schedules each check's first run at its next slot. */
    public synchronized void start() {
        anchorEpochMillis = wallClock.millis();
        anchorNanos = nanoClock.getAsLong();
        started = true;
        for (Runner runner : runners.values()) {
            runner.loop.execute(runner::scheduleFirst);
        }
    }

    /**
     * Schedules {@code check}, replacing the check with the same id if there is one: the old one starts
     * no more runs (one in flight ends and is reported), the new one runs from its first slot after now.
     * Before {@link #start()} the check just joins the others.
     */
    public synchronized void schedule(ScheduledCheck check) {
        Runner runner = new Runner(check, group.next());
        Runner previous = runners.put(check.checkId(), runner);
        if (previous != null) {
            previous.retire();
        }
        if (started && !stopped) {
            runner.loop.execute(runner::scheduleAfterNow);
        }
    }

    /**
     * Stops scheduling the check {@code checkId}; a run in flight ends and is reported. Returns whether
     * the check was scheduled.
     */
    public synchronized boolean unschedule(String checkId) {
        Runner runner = runners.remove(checkId);
        if (runner == null) {
            return false;
        }
        runner.retire();
        return true;
    }

    /** The checks scheduled now, by id. */
    public Map<String, ScheduledCheck> checks() {
        Map<String, ScheduledCheck> checks = new TreeMap<>();
        runners.forEach((id, runner) -> checks.put(id, runner.check));
        return checks;
    }

    /** Stops starting runs; runs in flight go on. */
    public synchronized void stop() {
        stopped = true;
        for (Runner runner : runners.values()) {
            runner.cancel();
        }
    }

    /** Waits up to {@code timeout} for runs in flight to end; returns whether none is left. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Stops scheduling and waits briefly for runs in flight, whose samples still reach the listener. */
    @Override
    public void close() {
        stop();
        try {
            if (!awaitIdle(CLOSE_GRACE)) {
                LOG.info("Stopped with probe runs still in flight; their samples are not recorded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long deadlineNanos(long epochMillis) {
        return anchorNanos + TimeUnit.MILLISECONDS.toNanos(epochMillis - anchorEpochMillis);
    }

    private void runStarted() {
        synchronized (idle) {
            inFlight++;
        }
    }

    private void runEnded() {
        synchronized (idle) {
            inFlight--;
            idle.notifyAll();
        }
    }

    /** One check's schedule; all its state is confined to its event loop. */
    private final class Runner {
        private final ScheduledCheck check;
        private final CheckSchedule schedule;
        private final EventLoop loop;
        private final EvidenceGate evidence = new EvidenceGate(evidenceEvery);
        private long nextSlotMillis;
        private boolean running;
        private volatile boolean retired;
        private volatile ScheduledFuture<?> pending;

        Runner(ScheduledCheck check, EventLoop loop) {
            this.check = check;
            this.schedule = new CheckSchedule(check.checkId(), check.interval().toMillis());
            this.loop = loop;
        }

        void scheduleFirst() {
            nextSlotMillis = schedule.slotAtOrAfter(anchorEpochMillis);
            scheduleNext();
        }

        /** Starts at the first slot strictly after now, so a replaced check's last slot does not run twice. */
        void scheduleAfterNow() {
            long nowMillis = anchorEpochMillis + TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - anchorNanos);
            nextSlotMillis = schedule.slotAtOrAfter(nowMillis + 1);
            scheduleNext();
        }

        void retire() {
            retired = true;
            cancel();
        }

        void cancel() {
            ScheduledFuture<?> current = pending;
            if (current != null) {
                current.cancel(false);
            }
        }

        private void scheduleNext() {
            if (stopped || retired) {
                return;
            }
            long delayNanos = deadlineNanos(nextSlotMillis) - nanoClock.getAsLong();
            pending = loop.schedule(this::due, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }

        private void due() {
            if (stopped || retired) {
                return;
            }
            long slotMillis = nextSlotMillis;
            long deadlineNanos = deadlineNanos(slotMillis);
            long nowNanos = nanoClock.getAsLong();
            long interval = schedule.intervalMillis();
            int skipped = 0;
            long next = slotMillis + interval;
            // Fallen more than an interval behind (a long pause): run this slot late, drop the ones
            // in between rather than firing a burst of catch-up runs.
            while (deadlineNanos(next) <= nowNanos) {
                next += interval;
                skipped++;
            }
            nextSlotMillis = next;
            boolean overlapping = running;
            if (overlapping) {
                skipped++;
            } else {
                start(slotMillis, Math.max(0, nowNanos - deadlineNanos));
            }
            if (skipped > 0) {
                long firstSkippedMillis = overlapping ? slotMillis : slotMillis + interval;
                listener.runsSkipped(check.checkId(), skipped);
                listener.sampleTaken(skippedSample(firstSkippedMillis, skipped, overlapping));
            }
            scheduleNext();
        }

        /**
         * One sample for a gap of {@code count} skipped slots from {@code firstMillis}: the collector learns
         * why there are no samples there instead of guessing, and one sample per gap keeps a long pause
         * from flooding the journal.
         */
        private Sample skippedSample(long firstMillis, int count, boolean overlapping) {
            String why = overlapping ? "the previous run was still in progress" : "the agent fell behind (paused?)";
            String detail = count == 1
                    ? "run skipped: " + why
                    : count + " runs skipped from this slot on, every " + schedule.intervalMillis() + " ms: " + why;
            return new Sample(check.checkId(), firstMillis, 0, Outcome.SKIPPED, Sample.NOT_MEASURED,
                    Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 0, 0, Sample.withDetail(detail));
        }

        private void start(long slotMillis, long startLagNanos) {
            running = true;
            runStarted();
            try {
                check.probe().run(loop).whenComplete((result, failure) -> {
                    running = false;
                    try {
                        listener.sampleTaken(sampleOf(result, failure, slotMillis, startLagNanos));
                    } finally {
                        runEnded();
                    }
                });
            } catch (RuntimeException e) {
                running = false;
                runEnded();
                listener.sampleTaken(sampleOf(null, e, slotMillis, startLagNanos));
            }
        }

        private Sample sampleOf(ProbeResult result, Throwable failure, long slotMillis, long startLagNanos) {
            if (failure == null) {
                return evidence.admit(result.toSample(check.checkId(), slotMillis, startLagNanos));
            }
            LOG.warn("Probe of check {} failed instead of returning an outcome", check.checkId(), failure);
            return new Sample(check.checkId(), slotMillis, startLagNanos, Outcome.AGENT_ERROR,
                    Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 0, 0,
                    Sample.withDetail("agent error: " + failure));
        }
    }
}
